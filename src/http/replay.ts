// `--replay DIR`: answer requests from recorded responses, offline. A replay file is JSON:
//
//   { "description": "…",
//     "interactions": [
//       { "method": "GET", "origin": "https://hn.algolia.com", "path": "/api/v1/search_by_date",
//         "query": { "page": "1", "cursor": null },   // subset match; null = parameter absent
//         "status": 200, "headers": { "content-type": "application/json" },
//         "bodyFile": "page2.json",                    // or "body": <JSON value or string>
//         "times": 1 } ] }                             // optional; default: answers every time
//
// Interactions are tried in file order; the first whose rule matches answers. Query parameters not
// named in `query` are ignored, so time-dependent ones (since=, created_at_i>) still match.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { MockAgent } from 'undici'
import { z } from 'zod'
import { UsageError } from '../models/errors.js'

const interactionSchema = z.object({
  method: z.enum(['GET', 'POST']).default('GET'),
  origin: z.string().url(),
  path: z.string().startsWith('/'),
  query: z.record(z.string(), z.string().nullable()).optional(),
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  bodyFile: z.string().optional(),
  times: z.number().int().positive().optional(),
})

const replayFileSchema = z.object({
  description: z.string().optional(),
  interactions: z.array(interactionSchema),
})

export type ReplayInteraction = z.infer<typeof interactionSchema>
export type ReplayFile = z.infer<typeof replayFileSchema>

export const REPLAY_FILE = 'replay.json'

/** Does a request path (with query string) satisfy an interaction's path + query rule? */
export function matchesRule(requestPath: string, rule: Pick<ReplayInteraction, 'path' | 'query'>): boolean {
  const url = new URL(requestPath, 'http://replay.invalid')
  if (url.pathname !== rule.path) return false
  for (const [name, expected] of Object.entries(rule.query ?? {})) {
    const actual = url.searchParams.get(name)
    if (expected === null ? actual !== null : actual !== expected) return false
  }
  return true
}

function readReplayFile(file: string): ReplayFile {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new UsageError(`replay file ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
  const result = replayFileSchema.safeParse(parsed)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new UsageError(`replay file ${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

/** Adds every interaction of one replay file to `agent`. */
export function loadReplayFile(agent: MockAgent, file: string): void {
  const replay = readReplayFile(file)
  replay.interactions.forEach((interaction, index) => {
    let body: string
    if (interaction.bodyFile !== undefined) {
      const bodyPath = resolve(dirname(file), interaction.bodyFile)
      try {
        body = readFileSync(bodyPath, 'utf8')
      } catch (cause) {
        throw new UsageError(`replay file ${file}: interactions.${index}.bodyFile: cannot read ${bodyPath}`, { cause })
      }
    } else if (typeof interaction.body === 'string') {
      body = interaction.body
    } else {
      body = interaction.body === undefined ? '' : JSON.stringify(interaction.body)
    }
    const headers = { 'content-type': 'application/json; charset=utf-8', ...interaction.headers }
    const scope = agent
      .get(interaction.origin)
      .intercept({ method: interaction.method, path: (path: string) => matchesRule(path, interaction) })
      .reply(interaction.status, body, { headers })
    if (interaction.times === undefined) scope.persist()
    else scope.times(interaction.times)
  })
}

/**
 * A MockAgent (network disabled) answering from `replay.json` in `dir`, or — when `dir` has none —
 * from `<dir>/<platform>/replay.json` for every platform folder (e.g. `fixtures/`).
 */
export function createReplayDispatcher(dir: string): MockAgent {
  const agent = new MockAgent()
  agent.disableNetConnect()
  const files: string[] = []
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch (cause) {
    throw new UsageError(`--replay ${dir}: not a readable directory`, { cause })
  }
  if (entries.includes(REPLAY_FILE)) files.push(join(dir, REPLAY_FILE))
  else {
    for (const entry of entries.sort()) {
      const candidate = join(dir, entry, REPLAY_FILE)
      try {
        if (statSync(candidate).isFile()) files.push(candidate)
      } catch {
        // No replay in this folder.
      }
    }
  }
  if (files.length === 0) throw new UsageError(`--replay ${dir}: no ${REPLAY_FILE} in it or in its sub-folders`)
  for (const file of files) loadReplayFile(agent, file)
  return agent
}
