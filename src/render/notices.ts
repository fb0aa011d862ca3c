// What a read command says on stderr beside its data, in every format: a result cut by --limit, a
// window without any mention (and where the data is instead), the completeness line where the
// format itself cannot carry it, and warnings that change how the figures read.
import type { AuditModel } from '../models/audit.js'
import type { Completeness } from '../models/completeness.js'
import type { Model } from '../models/output.js'
import type { EmptyWindow } from '../models/scope.js'
import { addLocalDays, formatLocal, formatLocalMinute } from '../time/zone.js'
import type { Format } from './format.js'
import { completenessLine } from './words.js'

export interface Notice {
  /** warning: read before trusting the figures; note: context (cut results, completeness). */
  level: 'warning' | 'note'
  text: string
}

const int = (n: number) => n.toLocaleString('en-US')
const localDate = (t: number, tz: string) => formatLocal(t, tz).slice(0, 10)

/** "100 of 250 shown; --limit 0 for all". */
export function cutNotice(shown: number, total: number, what = ''): string {
  return `${int(shown)} of ${int(total)}${what ? ` ${what}` : ''} shown; --limit 0 for all`
}

/**
 * The window held nothing: say so with the span the database covers and a ready --from/--until
 * (whole local days in the report's zone, --until exclusive).
 */
export function emptyWindowNotice(e: EmptyWindow, window: { from: string | null; until: string | null }, tz: string): string {
  const at = (iso: string) => formatLocalMinute(Date.parse(iso), tz)
  const range =
    window.from && window.until ? `from ${at(window.from)} to ${at(window.until)}` : window.from ? `since ${at(window.from)}` : window.until ? `before ${at(window.until)}` : ''
  const head = `no mentions ${range} (${tz})`
  if (!e.stored) return `${head}: the database holds none yet; run listen import FILE or listen fetch first`
  const first = Date.parse(e.stored.first)
  const last = Date.parse(e.stored.last)
  const from = localDate(first, tz)
  const until = localDate(addLocalDays(last, 1, tz), tz)
  return `${head}; the database holds ${int(e.stored.mentions)} mention${e.stored.mentions === 1 ? '' : 's'} from ${localDate(first, tz)} to ${localDate(last, tz)}: try --from ${from} --until ${until}`
}

/** listen --db FILE demo: the database stays, and the README's examples run on it as printed. */
export function demoKeptNotice(database: string, window: { from: string; until: string }): string {
  return `demo database kept at ${database}; its mentions lie from ${window.from.slice(0, 10)} to ${window.until.slice(0, 10)}, e.g. listen --db ${database} report --summary --from ${window.from.slice(0, 10)} --until ${window.until.slice(0, 10)}`
}

/** Warnings for an audit: without any known brand post every post looks unanswered. */
export function auditWarnings(m: AuditModel): string[] {
  if (m.handles.known || m.emptyWindow) return []
  return [NO_BRAND_POSTS]
}

export const NO_BRAND_POSTS =
  'No brand posts found in this window: every post counts as unanswered. Name the brand handles in the config (brands[].handles), or pass --handles AcmeHelp,… or --handles auto-nonnumeric (companies have non-numeric author ids, as in the TWCS dataset).'

// csv, tsv and ndjson rows have no place for the completeness line; table notes and JSON do.
const ROWS_ONLY: ReadonlySet<Format> = new Set(['csv', 'tsv', 'ndjson'])

export function noticesOf(model: Model, format: Format): Notice[] {
  const out: Notice[] = []
  const warn = (text: string) => out.push({ level: 'warning', text })
  const note = (text: string) => out.push({ level: 'note', text })
  const completeness = (c: Completeness | undefined) => {
    if (c && c.sources.length && ROWS_ONLY.has(format)) note(completenessLine(c))
  }
  switch (model.kind) {
    case 'mentions':
      if (model.emptyWindow && model.window) warn(emptyWindowNotice(model.emptyWindow, model.window, model.timezone))
      if (model.shown < model.total) note(cutNotice(model.shown, model.total))
      break
    case 'by-hour':
      if (model.emptyWindow) warn(emptyWindowNotice(model.emptyWindow, model, model.timezone))
      if (model.demo?.kept && model.demo.database) note(demoKeptNotice(model.demo.database, model.demo.window))
      completeness('completeness' in model ? (model.completeness as Completeness) : undefined)
      break
    case 'summary':
      if (model.emptyWindow) warn(emptyWindowNotice(model.emptyWindow, model, model.timezone))
      completeness(model.completeness)
      break
    case 'audit':
      if (model.emptyWindow) warn(emptyWindowNotice(model.emptyWindow, model, model.timezone))
      for (const w of auditWarnings(model)) warn(w)
      if (model.view === 'ledger' && model.ledger.shown < model.ledger.total) note(cutNotice(model.ledger.shown, model.ledger.total, 'waiting posts'))
      completeness(model.completeness)
      break
    case 'label-next':
      if (model.poolCut) note(`only the newest ${int(model.scored)} posts without a human label were scored; --pool 0 scores all`)
      if (!model.candidates.length) note('no posts left to label: every customer post has a human or imported label')
      break
    case 'label-input':
      if (model.unknown.length) {
        warn(`${model.unknown.length} id${model.unknown.length === 1 ? '' : 's'} not in the database, skipped: ${model.unknown.slice(0, 10).map((u) => `${u.mention} (line ${u.line})`).join(', ')}${model.unknown.length > 10 ? ', …' : ''}`)
      }
      break
    case 'queue':
      if (!model.brandPostsKnown && model.total) warn(NO_BRAND_POSTS)
      if (model.shown < model.total) note(cutNotice(model.shown, model.total, 'waiting posts'))
      note(`queue: posts since ${formatLocalMinute(Date.parse(model.window.from), model.timezone)} (${model.timezone}); older ones: listen audit --ledger`)
      break
    default:
      break
  }
  return out
}
