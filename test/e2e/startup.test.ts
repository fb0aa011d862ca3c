// What a command loads before it can answer: the commands a shift runs all day (mentions, queue,
// report, audit, alerts from cron) leave the HTTP client, the XML and HTML parsers, the
// personal-data detector and zod unloaded unless the run needs them (each takes about 0.1 s to load).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const HOOK = pathToFileURL(join(import.meta.dirname, '../helpers/module-log.mjs')).href
const HEAVY = ['undici', 'fast-xml-parser', 'htmlparser2', 'libphonenumber-js', 'zod', 'better-sqlite3', 'franc-min'] as const

/** The packages of HEAVY that `listen ARGS` loads. */
async function heavyLoadedBy(dir: string, args: string[]): Promise<string[]> {
  const log = join(dir, `modules-${args[0]}-${Math.random().toString(36).slice(2)}.txt`)
  writeFileSync(log, '')
  const r = await runCli(args, { cwd: dir, env: { NODE_OPTIONS: `--import ${HOOK}`, LISTEN_TEST_MODULE_LOG: log } })
  expect(r, r.stderr).toMatchObject({ code: 0 })
  const urls = readFileSync(log, 'utf8')
  return HEAVY.filter((p) => urls.includes(`/node_modules/${p}/`))
}

async function dbWith(rows: object[]): Promise<string> {
  const dir = tmp()
  writeFileSync(join(dir, 'p.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'))
  expect((await runCli(['import', 'p.jsonl'], { cwd: dir })).code).toBe(0)
  return dir
}

const at = new Date(Date.now() - 30 * 60_000).toISOString()
const plain = [
  { id: 'a', source: 'x', brand: 'Acme', created_at: at, author: 'kim', text: 'Is the app down? Nothing loads since this morning' },
  { id: 'b', source: 'x', brand: 'Acme', created_at: at, author: 'lu', text: 'How do I change my delivery address?' },
]
const withPhone = [...plain, { id: 'c', source: 'x', brand: 'Acme', created_at: at, author: 'jo', text: 'Please call me back on +49 30 12345678, my order is late' }]

describe('start-up: what each command loads', () => {
  it('--help loads no dependency but commander', async () => {
    expect(await heavyLoadedBy(tmp(), ['--help'])).toEqual([])
  })

  it.each([
    [['--help'], []],
    [['help', 'audit'], ['audit']],
    [['--db', 'x.db', 'report', '--help'], ['report']],
    [['completion', 'bash'], 'all'],
  ] as const)('listen %j loads the command modules %j', async (args, expected) => {
    const dir = tmp()
    const log = join(dir, 'modules.txt')
    writeFileSync(log, '')
    const r = await runCli([...args], { cwd: dir, env: { NODE_OPTIONS: `--import ${HOOK}`, LISTEN_TEST_MODULE_LOG: log } })
    expect(r, r.stderr).toMatchObject({ code: 0 })
    const loaded = [...readFileSync(log, 'utf8').matchAll(/\/dist\/cli\/commands\/([\w-]+)\.js/g)].map((m) => m[1])
    if (expected === 'all') expect(new Set(loaded).size).toBe(21)
    else expect([...new Set(loaded)]).toEqual(expected)
  })

  it.each([
    [['mentions'], ['better-sqlite3']],
    [['mentions', '--topic', 'delivery'], ['better-sqlite3', 'franc-min']],
    [['queue', '--since', '1d'], ['better-sqlite3']],
    [['report', '--by-hour', '--since', '1d'], ['better-sqlite3']],
    [['audit', '--since', '1d'], ['better-sqlite3']],
    [['alerts'], ['better-sqlite3']],
  ])('listen %j on posts without personal data loads only %j', async (args, expected) => {
    expect(await heavyLoadedBy(await dbWith(plain), args)).toEqual(expected)
  })

  it('import tags in its reader thread: the main thread loads neither the tagger nor the personal-data detector', async () => {
    const dir = await dbWith(plain)
    writeFileSync(join(dir, 'more.jsonl'), withPhone.map((r) => JSON.stringify(r)).join('\n'))
    expect(await heavyLoadedBy(dir, ['import', 'more.jsonl'])).toEqual(['better-sqlite3'])
    const shown = JSON.parse((await runCli(['mentions', '--format', 'json'], { cwd: dir })).stdout) as { mentions: Array<{ id: string; label: string; piiMasked: string[] }> }
    expect(shown.mentions.map((m) => [m.id, m.label])).toEqual(expect.arrayContaining([['a', 'outage'], ['b', 'question']]))
    expect(shown.mentions.find((m) => m.id === 'c')?.piiMasked).toHaveLength(1)
  })

  it('zod validates a config file once; later runs read the validated value from the cache until the file changes', async () => {
    const dir = await dbWith(plain)
    const config = join(dir, 'listen.config.json')
    writeFileSync(config, JSON.stringify({ timezone: 'Europe/Berlin', brands: [{ name: 'Acme', query: 'acme' }] }))
    expect(await heavyLoadedBy(dir, ['mentions'])).toEqual(['zod', 'better-sqlite3'])
    expect(await heavyLoadedBy(dir, ['mentions'])).toEqual(['better-sqlite3'])
    writeFileSync(config, JSON.stringify({ timezone: 'Mars/Olympus' }))
    const bad = await runCli(['mentions'], { cwd: dir })
    expect(bad).toMatchObject({ code: 2, stdout: '' })
    expect(bad.stderr).toMatch(/listen\.config\.json: timezone: expected an IANA time zone/)
  })

  it('the personal-data detector is loaded once a listed post holds personal data', async () => {
    const dir = await dbWith(withPhone)
    expect(await heavyLoadedBy(dir, ['mentions'])).toEqual(['libphonenumber-js', 'better-sqlite3'])
    expect(await heavyLoadedBy(dir, ['queue', '--since', '1d'])).toEqual(['libphonenumber-js', 'better-sqlite3'])
    const shown = JSON.parse((await runCli(['mentions', '--format', 'json'], { cwd: dir })).stdout) as { mentions: Array<{ id: string; piiMasked: string[] }> }
    expect(shown.mentions.find((m) => m.id === 'c')?.piiMasked).toHaveLength(1)
  })
})
