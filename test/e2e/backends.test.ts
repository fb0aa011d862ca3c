// The same CLI commands on SQLite and on PostgreSQL give the same JSON (the built CLI: npm run build).
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { type CliResult, runCli } from '../helpers/cli.js'
import { describeWithPg, usePgSchemas } from '../helpers/pg.js'
import { SHARED, useTempDir } from '../helpers/tmp.js'

const TWCS = join(SHARED, 'datasets/twcs_head5000.csv')
const MAP = 'id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id,by_brand=not:inbound'
const W = ['--from', '2017-10-01', '--until', '2017-12-04']

const tmp = useTempDir()
const pgs = usePgSchemas()

/** What may differ between the backends: where the database is, when rows were fetched and a model version made. */
const comparable = (r: CliResult) => ({
  code: r.code,
  stdout: r.stdout.replace(/"database": "[^"]*"/g, '"database": "…"').replace(/"fetchedAt": "[^"]*"/g, '"fetchedAt": "…"')
    .replace(/"createdAt": "2\d{3}-[^"]*"/g, (m) => (m.startsWith('"createdAt": "2017') ? m : '"createdAt": "…"')),
  stderr: r.stderr.replace(/(database|at) (\/\S+listen\.db|postgres:\/\/\S+)/g, '$1 …'),
})

describeWithPg('the CLI on SQLite and PostgreSQL', () => {
  it.skipIf(!existsSync(TWCS))('import, report, audit, alerts, classify, train, mentions and query answer alike', { timeout: 240_000 }, async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ timezone: 'Europe/Berlin', brands: [{ name: 'Acme', query: 'acme' }] }))
    // Labelled posts we wrote ourselves (never a corpus from ../shared).
    writeFileSync(
      join(dir, 'labels.jsonl'),
      ['my train is late again, terrible service', 'thanks so much for the quick help', 'is the app down for everyone?', 'how do I change my booking?']
        .map((text, i) => JSON.stringify({ text, label: ['complaint', 'praise', 'outage', 'question'][i] }))
        .join('\n') + '\n',
    )
    const { url } = await pgs.fresh()
    const commands: string[][] = [
      ['import', TWCS, '--source', 'twitter', '--map', MAP],
      ['import', TWCS, '--source', 'twitter', '--map', MAP],
      ['report', '--by-hour', '--format', 'json', ...W],
      ['report', '--by-hour', '--format', 'json', '--tz', 'America/New_York', ...W],
      ['report', '--summary', '--format', 'json', ...W],
      ['audit', '--format', 'json', ...W],
      ['alerts', '--dry-run', '--at', '2017-11-30T12:00:00Z', '--format', 'json'],
      ['train', join(dir, 'labels.jsonl'), '--format', 'json'],
      ['classify', '--format', 'json'],
      ['mentions', '--limit', '40', '--format', 'json', ...W],
      ['query', 'SELECT label, count(*) AS n FROM mentions GROUP BY label ORDER BY label', '--format', 'json'],
      ['report', '--summary', '--format', 'json', ...W],
    ]
    for (const args of commands) {
      const lite = await runCli([...args, '--db', join(dir, 'listen.db')], { cwd: dir })
      const pg = await runCli([...args, '--db', url], { cwd: dir })
      expect(comparable(pg), args.join(' ')).toEqual(comparable(lite))
      expect(lite.code, `${args.join(' ')}: ${lite.stderr}`).toBe(0)
    }
  })

  it('an unknown scheme is a usage error (exit 2) and creates nothing', async () => {
    const dir = tmp()
    const r = await runCli(['report', '--summary', '--db', 'mysql://u:pw1234@h/db'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/"mysql:\/\/" is not a database listen can open/)
    expect(r.stderr).not.toContain('pw1234')
    expect(existsSync(join(dir, 'mysql:'))).toBe(false)
  })

  it('the password comes from the variable named in the config and is never printed', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ database: 'postgres://listen@127.0.0.1:1/listen', databasePasswordEnv: 'LISTEN_PG_PW' }))
    const r = await runCli(['report', '--summary', '--verbose'], { cwd: dir, env: { LISTEN_PG_PW: 'tops3cret' } })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/cannot connect to PostgreSQL at postgres:\/\/listen@127\.0\.0\.1:1\/listen: connection refused/)
    expect(r.stderr + r.stdout).not.toContain('tops3cret')
    const unset = await runCli(['report', '--summary'], { cwd: dir })
    expect(unset.stderr).toMatch(/LISTEN_PG_PW/)
  })
})
