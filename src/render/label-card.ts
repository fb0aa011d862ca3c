// listen label --next: the candidate list (every format) and, on a terminal, one card per post.
import { Chalk } from 'chalk'
import type { LabelCandidate, LabelInputModel, LabelNextModel, ThreadPostOut } from '../models/label.js'
import { LABELS } from '../models/mention.js'
import type { View } from './view.js'

export function labelNextView(m: LabelNextModel): View {
  return {
    json: m,
    rows: m.candidates.map((c) => ({
      mention: c.mention,
      guess: c.guess,
      uncertainty: c.uncertainty,
      ...Object.fromEntries(LABELS.map((l) => [`score_${l}`, c.scores[l]])),
      brand: c.brand,
      createdAt: c.createdAt,
      author: c.author,
      lang: c.lang,
      text: c.text,
      parent: c.parent?.text ?? null,
      reply: c.reply?.text ?? null,
    })),
    columns: [
      { key: 'mention', header: 'mention', width: 32 },
      { key: 'guess', header: 'guess', kind: 'label' },
      { key: 'uncertainty', header: 'unsure', kind: 'number' },
      ...LABELS.map((l) => ({ key: `score_${l}`, header: l, kind: 'number' as const, table: false })),
      { key: 'brand', header: 'brand', table: false },
      { key: 'createdAt', header: 'created', kind: 'instant' as const, table: false },
      { key: 'author', header: 'author', table: false },
      { key: 'lang', header: 'lang' },
      { key: 'text', header: 'text', width: 60 },
      { key: 'parent', header: 'in reply to', width: 30 },
      { key: 'reply', header: 'brand reply', width: 30 },
    ],
    title: `${m.candidates.length} post${m.candidates.length === 1 ? '' : 's'} to label (${m.model}, ${m.strategy})`,
    notes: [`${m.scored.toLocaleString('en-US')} posts without a human label scored; label them with listen label --input FILE or on a terminal with listen label --next`],
  }
}

export function labelInputView(m: LabelInputModel): View {
  return {
    json: m,
    rows: [{ file: m.file, rows: m.rows, saved: m.saved, unchanged: m.unchanged, unknown: m.unknown.length, by: m.by, at: m.at }],
    columns: [
      { key: 'file', header: 'file', width: 40 },
      { key: 'rows', header: 'rows', kind: 'int' },
      { key: 'saved', header: 'saved', kind: 'int' },
      { key: 'unchanged', header: 'unchanged', kind: 'int' },
      { key: 'unknown', header: 'unknown ids', kind: 'int' },
      { key: 'by', header: 'labelled by' },
      { key: 'at', header: 'at', kind: 'instant' },
    ],
  }
}

export interface CardOptions {
  color: boolean
  /** Answers saved in this session. */
  labelled: number
  /** Columns of the terminal. */
  width?: number
  /** A line under the keys: "saved: complaint", "retraining…". */
  status?: string | undefined
}

/** The keys, in LABELS order: 1 outage … 5 other. */
export const KEY_LABELS = LABELS

function wrap(text: string, width: number, indent: string): string {
  const out: string[] = []
  for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = ''
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line)
        line = word
      } else line = line ? `${line} ${word}` : word
    }
    out.push(line)
  }
  return out.map((l) => indent + l).join('\n')
}

/** One post to label: thread context, the text, the model's guess and scores, the keys. */
export function renderLabelCard(c: LabelCandidate, o: CardOptions): string {
  const chalk = new Chalk({ level: o.color ? 1 : 0 })
  const width = Math.max(40, Math.min(100, (o.width ?? 80) - 4))
  const who = (p: { author: string | null }) => p.author ?? 'unknown'
  const ctx = (title: string, p: ThreadPostOut) => `${chalk.dim(`${title} ${who(p)}:`)}\n${chalk.dim(wrap(p.text, width - 4, '    '))}`
  const lines: string[] = []
  lines.push(chalk.bold(`${c.mention}`) + chalk.dim(`  ${[c.brand, c.createdAt.slice(0, 16).replace('T', ' '), c.lang].filter(Boolean).join(' · ')}  (${o.labelled} labelled)`))
  if (c.parent) lines.push(ctx('  in reply to', c.parent))
  lines.push(`  ${chalk.bold(who(c))}:`)
  lines.push(wrap(c.text, width - 2, '  '))
  if (c.reply) lines.push(ctx('  brand replied', c.reply))
  const best = [...LABELS].sort((a, b) => c.scores[b] - c.scores[a])
  const bars = best.map((l) => `${l === c.guess ? chalk.bold(l) : l} ${Math.round(c.scores[l] * 100)}%`).join('  ')
  lines.push(`  guess ${chalk.bold(c.guess)} · ${bars}`)
  const keys = KEY_LABELS.map((l, i) => `${chalk.bold(String(i + 1))} ${l}`).join('  ')
  lines.push(`  ${keys}   ${chalk.bold('s')} skip  ${chalk.bold('u')} undo  ${chalk.bold('q')} quit`)
  if (o.status) lines.push(chalk.dim(`  ${o.status}`))
  return `${lines.join('\n')}\n`
}
