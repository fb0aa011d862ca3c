// Views for listen fetch and listen sources.
import { redactLocation } from '../lib/location.js'
import type { FetchModel, SourceResult, SourcesModel } from '../models/fetch.js'
import type { View } from './view.js'

/** "3 not matching, 11 excluded, 20 other language": what the brand query and languages kept out. */
export function droppedText(d: SourceResult['dropped']): string {
  return [d.query && `${d.query} not matching`, d.excluded && `${d.excluded} excluded`, d.language && `${d.language} other language`].filter(Boolean).join(', ')
}

export function fetchView(m: FetchModel): View {
  if (m.dryRun) {
    return {
      json: m,
      rows: m.sources.flatMap((s) =>
        (s.plan ?? []).map((p) => ({ source: s.source, ...p, credentials: p.credentials.join(', '), problem: s.error })),
      ),
      columns: [
        { key: 'source', header: 'source' },
        { key: 'brand', header: 'brand', width: 20 },
        { key: 'query', header: 'query', width: 30 },
        { key: 'checked', header: 'checked locally as', width: 30 },
        { key: 'cursor', header: 'cursor', width: 24 },
        { key: 'from', header: 'from' },
        { key: 'baseUrl', header: 'base URL', width: 40 },
        { key: 'credentials', header: 'credentials (env names)', width: 40 },
        { key: 'problem', header: 'problem', width: 50 },
      ],
      title: 'Fetch plan (dry run: nothing fetched)',
    }
  }
  return {
    json: m,
    rows: m.sources.map((s) => ({ ...s, plan: s.plan ?? undefined, dropped: droppedText(s.dropped) })),
    columns: [
      { key: 'source', header: 'source' },
      { key: 'status', header: 'status' },
      { key: 'new', header: 'new', kind: 'int' },
      { key: 'updated', header: 'updated', kind: 'int' },
      { key: 'dropped', header: 'dropped', width: 30 },
      { key: 'pages', header: 'pages', kind: 'int' },
      { key: 'requests', header: 'requests', kind: 'int' },
      { key: 'rateLimitWaits', header: 'rate-limit waits', kind: 'int' },
      { key: 'durationMs', header: 'ms', kind: 'int' },
      { key: 'nextAllowedAt', header: 'next run', kind: 'instant' },
      { key: 'error', header: 'error', width: 80 },
    ],
    title: `Fetch run ${m.runId}`,
    notes: [
      `${m.totals.new} new, ${m.totals.updated} updated; ${m.totals.failed} failed, ${m.totals.deferred} deferred`,
      ...(m.totals.dropped
        ? [
            `Not saved: ${m.sources.filter((s) => droppedText(s.dropped)).map((s) => `${s.source} ${droppedText(s.dropped)}`).join('; ')} (the brand query, checked where the platform could not search with it, and brands[].languages).`,
          ]
        : []),
    ],
  }
}

export function sourcesView(m: SourcesModel): View {
  return {
    json: m,
    rows: m.sources.map((s) => ({
      ...s,
      credentials: [...s.credentialsSet.map((c) => `${c} set`), ...s.credentialsMissing.map((c) => `${c} missing`)].join(', '),
    })),
    columns: [
      { key: 'source', header: 'source' },
      { key: 'enabled', header: 'enabled' },
      { key: 'credentials', header: 'credentials (env names)', width: 40 },
      { key: 'lastRunAt', header: 'last run', kind: 'instant' },
      { key: 'lastStatus', header: 'status' },
      { key: 'lastNew', header: 'new', kind: 'int' },
      { key: 'cursorAgeHours', header: 'cursor age h', kind: 'number' },
      { key: 'nextRunAt', header: 'next run' },
      { key: 'lastError', header: 'last error', width: 60 },
      { key: 'baseUrl', header: 'base URL', table: false },
      { key: 'description', header: 'description', table: false },
    ],
    notes: [`database: ${redactLocation(m.database)}`],
  }
}
