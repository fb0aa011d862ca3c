// Views of the care-desk commands: help articles, recheck, vanished posts.
import type { ArticleMatchModel, HelpArticlesModel, RecheckModel, VanishedModel } from '../models/care.js'
import type { View } from './view.js'

export function helpArticlesView(m: HelpArticlesModel): View {
  const notes: string[] = []
  if (m.action === 'import' && m.counts) {
    const c = m.counts
    notes.push(`${m.origin}: ${c.inserted} new, ${c.updated} updated, ${c.unchanged} unchanged article(s) in ${m.database}${m.skipped?.length ? `; ${m.skipped.length} page(s) skipped (see stderr)` : ''}`)
  } else {
    notes.push(`${m.articles.length} article(s) in ${m.database}`)
  }
  return {
    json: m,
    rows: m.articles.map((a) => ({ ...a })),
    columns: [
      { key: 'id', header: 'id', width: 28 },
      { key: 'lang', header: 'lang' },
      { key: 'title', header: 'title', width: 50 },
      { key: 'words', header: 'words', kind: 'int' },
      { key: 'url', header: 'url', width: 60 },
      { key: 'origin', header: 'origin', table: false },
      { key: 'importedAt', header: 'imported', kind: 'instant', table: false },
    ],
    notes,
  }
}

export function articleMatchView(m: ArticleMatchModel): View {
  const shown = m.matches.find((x) => x.shown)
  return {
    json: m,
    rows: m.matches.map((x) => ({ ...x })),
    columns: [
      { key: 'rank', header: '#', kind: 'int' },
      { key: 'confidence', header: 'confidence', kind: 'number' },
      { key: 'id', header: 'id', width: 28 },
      { key: 'title', header: 'title', width: 50 },
      { key: 'url', header: 'url', width: 60 },
      { key: 'lang', header: 'lang', table: false },
      { key: 'score', header: 'score', kind: 'number', table: false },
      { key: 'shown', header: 'shown', table: false },
    ],
    notes: [
      shown
        ? `mentions shows "${shown.title}" for this question (confidence ${shown.confidence} ≥ ${m.threshold})`
        : `no article is good enough (confidence < ${m.threshold}): mentions shows none for this question`,
    ],
  }
}

export function recheckView(m: RecheckModel): View {
  const s = m.sources.reduce((a, r) => ({ checked: a.checked + r.checked, vanished: a.vanished + r.vanished, edited: a.edited + r.edited }), { checked: 0, vanished: 0, edited: 0 })
  const notes = [`${s.checked} post(s) since ${m.since} looked up again: ${s.vanished} vanished, ${s.edited} edited${m.deferred ? `; ${m.deferred} due post(s) left for the next run` : ''}`]
  for (const r of m.sources) if (r.status === 'unsupported') notes.push(`${r.source}: ${r.error}`)
  return {
    json: m,
    rows: m.sources.map((r) => ({ ...r })),
    columns: [
      { key: 'source', header: 'source' },
      { key: 'status', header: 'status' },
      { key: 'checked', header: 'checked', kind: 'int' },
      { key: 'live', header: 'live', kind: 'int' },
      { key: 'edited', header: 'edited', kind: 'int' },
      { key: 'vanished', header: 'vanished', kind: 'int' },
      { key: 'unknown', header: 'unknown', kind: 'int' },
      { key: 'requests', header: 'requests', kind: 'int', table: false },
      { key: 'error', header: 'error', width: 60 },
    ],
    notes,
  }
}

export function vanishedView(m: VanishedModel): View {
  return {
    json: m,
    rows: m.items.map((x) => ({ ...x })),
    columns: [
      { key: 'createdAt', header: 'posted', kind: 'instant' },
      { key: 'vanishedAt', header: 'gone by', kind: 'instant' },
      { key: 'source', header: 'source' },
      { key: 'id', header: 'id', width: 20, table: false },
      { key: 'brand', header: 'brand', width: 16 },
      { key: 'label', header: 'label', kind: 'label' },
      { key: 'reason', header: 'reason' },
      { key: 'author', header: 'author', width: 16 },
      { key: 'lastText', header: 'last text seen', width: 60 },
      { key: 'answeredBy', header: 'answered by', width: 20 },
      { key: 'answeredAt', header: 'answered', kind: 'instant', table: false },
      { key: 'url', header: 'url', width: 40, table: false },
    ],
    notes: [`${m.total} critical post(s) (complaint, outage) from ${m.from} to ${m.until} vanished after we stored them; their last text is kept`],
  }
}
