// The same CLI commands on SQLite and on PostgreSQL give the same JSON (the built CLI: npm run build).
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { type CliResult, runCli } from '../helpers/cli.js'
import { describeWithPg, passwordRoleSchema, usePgSchemas } from '../helpers/pg.js'
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

  it('a role that must give its password: every command reads it from the variable the config names', { timeout: 180_000 }, async () => {
    // scripts/pg-test-cluster.sh makes this role (and only it) give a password: scram-sha-256.
    const { url, password: secret, drop } = await passwordRoleSchema(pgs.admin())
    try {
      const dir = tmp()
      writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ database: url, databasePasswordEnv: 'LISTEN_PG_PW', brands: [{ name: 'Acme', query: 'acme' }] }))
      // Posts and labels we wrote ourselves.
      const at = (m: number) => new Date(Date.parse('2026-11-02T09:00:00Z') + m * 60_000).toISOString()
      const posts = [
        { id: '1', text: 'acme my parcel never arrived, where is my order?', created_at: at(0), author: 'ann' },
        { id: '2', text: 'acme the app is down again, cannot log in', created_at: at(5), author: 'bob' },
        { id: '3', text: 'so sorry, we are on it', created_at: at(20), author: 'AcmeHelp', in_reply_to: '1', by_brand: true },
      ]
      writeFileSync(join(dir, 'posts.jsonl'), posts.map((p) => JSON.stringify(p)).join('\n') + '\n')
      writeFileSync(join(dir, 'gold.jsonl'), [['the app is down for everyone', 'outage'], ['thanks, that was quick', 'praise']].map(([text, label]) => JSON.stringify({ text, label })).join('\n') + '\n')
      writeFileSync(join(dir, 'articles.csv'), 'title,body,url\nWhere is my parcel?,Track your order on the delivery page.,https://help.example/parcel\n')
      const env = { LISTEN_PG_PW: secret }
      const window = ['--from', '2026-11-01', '--until', '2026-11-03']
      const commands: string[][] = [
        ['import', 'posts.jsonl', '--source', 'x'],
        ['report', '--by-hour', ...window, '--format', 'json'],
        ['report', '--summary', ...window, '--format', 'json'],
        ['audit', '--all', '--format', 'json'],
        ['mentions', ...window, '--format', 'json'],
        ['queue', '--at', at(30), '--since', '1d', '--format', 'json'],
        ['classify', '--topics', '--all', '--format', 'json'],
        ['train', 'gold.jsonl', '--format', 'json'],
        ['eval', 'gold.jsonl', '--format', 'json'],
        ['help-articles', 'import', 'articles.csv', '--format', 'json'],
        ['query', 'SELECT count(*) AS n FROM mentions', '--format', 'json'],
        ['import', 'posts.jsonl', '--source', 'mastodon', '--db', join(dir, 'local.db')],
        ['db', 'migrate-to', url, '--password-env', 'LISTEN_PG_PW', '--db', join(dir, 'local.db')],
      ]
      for (const args of commands) {
        const r = await runCli(args, { cwd: dir, env })
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
        expect(r.stdout + r.stderr, args.join(' ')).not.toContain(secret)
      }
      const count = await runCli(['query', 'SELECT source, count(*)::int AS n FROM mentions GROUP BY source ORDER BY source', '--format', 'json'], { cwd: dir, env })
      expect(JSON.parse(count.stdout).rows).toEqual([{ source: 'mastodon', n: 3 }, { source: 'x', n: 3 }])
      const wrong = await runCli(['report', '--summary', ...window], { cwd: dir, env: { LISTEN_PG_PW: 'not-it' } })
      expect(wrong.code).not.toBe(0)
      expect(wrong.stderr).toMatch(/password authentication failed/)
      expect(wrong.stderr).not.toContain('not-it')
    } finally {
      await drop()
    }
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
