// listen sources: what each source is, whether it can run, and how its last run went.
import type { SourcesModel } from '../models/fetch.js'
import { sources as registry } from '../sources/registry.js'
import { credentialEnv, type SourceAdapter, type SourceConfig } from '../sources/types.js'
import { openStore, storeExists } from '../store/open.js'
import { storeAuth, type CommandContext } from './context.js'

export async function runSources(ctx: CommandContext): Promise<SourcesModel> {
  const db = storeExists(ctx.config.database) ? await openStore(ctx.config.database, { ...storeAuth(ctx), create: false, readonly: true }) : null
  try {
    const store = db ? db.runs : null
    const runs = new Map((store ? await store.latestRuns() : []).map((r) => [r.source, r]))
    const rows = []
    for (const [name, adapter] of Object.entries(registry as Record<string, SourceAdapter>)) {
      const block = (ctx.config.sources[name] ?? null) as SourceConfig | null
      const set: string[] = []
      const missing: string[] = []
      for (const cred of adapter.credentials) {
        const envName = credentialEnv(block, cred)
        if (ctx.env[envName]) set.push(envName)
        else if (cred.required) missing.push(envName)
      }
      const run = runs.get(name)
      const cursors = store ? await store.cursors(name) : []
      const newestCursor = cursors.length ? Math.max(...cursors.map((c) => c.updatedAt)) : null
      const status = run?.status ?? null
      const next = run?.nextAllowedAt && run.nextAllowedAt > ctx.now ? new Date(run.nextAllowedAt).toISOString() : block && block.enabled !== false ? 'now' : null
      rows.push({
        source: name,
        enabled: Boolean(block && block.enabled !== false),
        description: adapter.description,
        baseUrl: block?.baseUrl ?? adapter.defaultBaseUrl,
        credentialsSet: set,
        credentialsMissing: missing,
        lastRunAt: run ? new Date(run.startedAt).toISOString() : null,
        lastStatus: status,
        lastNew: run ? run.newCount : null,
        lastError: run?.error ?? null,
        cursorAgeHours: newestCursor === null ? null : Math.round(((ctx.now - newestCursor) / 3_600_000) * 10) / 10,
        nextRunAt: next,
      })
    }
    return { kind: 'sources', database: ctx.config.database, sources: rows }
  } finally {
    await db?.close()
  }
}
