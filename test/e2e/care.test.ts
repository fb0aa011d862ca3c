// The care desk end to end on the built CLI (npm run build first): the demo database, its help
// articles, a recheck over the recorded Mastodon lookups, audit --vanished and --agents.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const ROOT = join(import.meta.dirname, '../..')
const tmp = useTempDir()

describe('care desk CLI', () => {
  it('help articles, recheck, vanished and agents on the demo data', async () => {
    const cwd = tmp()
    const run = (...args: string[]) => runCli(['--db', 'demo.db', ...args], { cwd })
    // A kept demo database already holds the demo help centre and a recheck as of the window's end.
    const demo = await run('demo', '--format', 'json')
    expect(demo.code).toBe(0)
    expect(demo.stderr).not.toMatch(/Warning/)
    expect(JSON.parse((await run('help-articles', 'list', '--format', 'json')).stdout).articles).toHaveLength(12)

    const imp = await run('help-articles', 'import', join(ROOT, 'fixtures/demo/care/help-articles.jsonl'), '--format', 'json')
    expect(imp.code).toBe(0)
    expect(JSON.parse(imp.stdout).counts).toEqual({ inserted: 0, updated: 0, unchanged: 12 })
    const match = await run('help-articles', 'match', 'Wo finde ich meine PUK?', '--format', 'json')
    expect(JSON.parse(match.stdout).matches[0]).toMatchObject({ id: 'nw-puk', shown: true })
    const missing = await runCli(['--db', 'demo.db', 'help-articles', 'import', 'nope.csv'], { cwd })
    expect([missing.code, missing.stdout]).toEqual([2, ''])
    expect(missing.stderr).toMatch(/cannot read nope.csv: no such file/)

    const questions = await run('mentions', '--label', 'question', '--json', 'text,article')
    const rows = JSON.parse(questions.stdout) as Array<{ text: string; article: string | null }>
    expect(rows.find((r) => r.text.includes('PUK'))?.article).toBe('https://hilfe.nordwind-mobile.example/artikel/pin-puk')

    // Nothing is due again at the same instant; a second demo run keeps the vanished post below (counts: demo.test.ts).
    const again = await run('recheck', '--source', 'mastodon', '--replay', join(ROOT, 'fixtures/demo/replay'), '--at', '2026-11-09T00:00:00+01:00', '--format', 'json')
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout).due).toBe(0)
    const demo2 = await run('demo', '--format', 'json')
    expect(demo2.code).toBe(0)

    const vanished = await run('audit', '--vanished', '--from', '2026-10-12', '--until', '2026-11-09', '--format', 'csv')
    expect(vanished.code).toBe(0)
    expect(vanished.stdout).toMatch(/mastodon,.*Nordwind Mobile,complaint,deleted,tom_241,'@nordwind Zum dritten Mal falsch abgebucht!!.*nordwind \(TSL\)/)

    const agents = await run('audit', '--from', '2026-10-12', '--until', '2026-11-09', '--agents', '--json', 'account,agent,mentions')
    const byAgent = JSON.parse(agents.stdout) as Array<{ agent: string }>
    expect(new Set(byAgent.map((a) => a.agent))).toEqual(new Set(['JK', 'Anna', 'TSL', 'Tom', 'MK', 'AB', 'Sam', 'KL', 'Priya', 'RD']))
    const shifts = await run('--config', join(ROOT, 'fixtures/demo/listen.config.json'), 'audit', '--from', '2026-10-12', '--until', '2026-11-09', '--format', 'json')
    expect(JSON.parse(shifts.stdout).byShift.map((s: { shift: string }) => s.shift)).toEqual(['early', 'late', 'night'])
  }, 60_000)
})
