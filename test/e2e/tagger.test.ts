// The tagger commands as a user runs them: exit codes, stdout (data only) and stderr.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { SHARED, useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

const MENTIONS = [
  { id: '1', source: 'x', created_at: '2026-11-02T09:00:00Z', text: 'is your app down? nothing loads' },
  { id: '2', source: 'x', created_at: '2026-11-02T09:05:00Z', text: 'thank you so much, great service!' },
  { id: '3', source: 'x', created_at: '2026-11-02T09:10:00Z', text: 'how do I reset my password?' },
]

const ndjson = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)

describe('listen tagger commands', () => {
  it('prints help with an example for each command', async () => {
    for (const cmd of ['classify', 'label', 'train', 'eval']) {
      const r = await runCli([cmd, '--help'], { cwd: tmp() })
      expect(r.code, cmd).toBe(0)
      expect(r.stdout).toMatch(/\nExample:\n {2}\$ listen /)
    }
  })

  it.skipIf(!existsSync(SHARED) && !process.env.CI)('classify --input with a tagging thread writes what the main thread alone writes, bad lines in order (the real TWCS excerpt)', async () => {
    const dir = tmp()
    const rows = parse(readFileSync(join(SHARED, 'datasets/twcs_head5000.csv')), { columns: true }) as Array<{ tweet_id: string; text: string }>
    const lines = rows.map((r) => JSON.stringify({ id: r.tweet_id, text: r.text }))
    // Bad lines in the tagging thread's first batch, in the main thread's, and in the tail.
    lines.splice(10, 0, '{"text": ""}')
    lines.splice(1500, 0, 'not json')
    lines.splice(4990, 0, '{"id": 7}')
    writeFileSync(join(dir, 'twcs.jsonl'), lines.join('\n'))
    const alone = await runCli(['classify', '--input', 'twcs.jsonl', '--model', 'builtin', '--readers', '0'], { cwd: dir })
    const threaded = await runCli(['classify', '--input', 'twcs.jsonl', '--model', 'builtin', '--readers', '1'], { cwd: dir })
    expect(alone.code).toBe(1)
    expect(threaded.code).toBe(1)
    expect(ndjson(threaded.stdout)).toHaveLength(rows.length)
    expect(threaded.stdout).toBe(alone.stdout)
    const warnings = (s: string) => s.split('\n').filter((l) => l.includes('line skipped'))
    expect(warnings(threaded.stderr)).toEqual(['warning: twcs.jsonl:11: "text" is empty; line skipped', 'warning: twcs.jsonl:1501: not valid JSON (Unexpected token \'o\', "not json" is not valid JSON); line skipped', 'warning: twcs.jsonl:4991: no "text" field; line skipped'])
    expect(warnings(alone.stderr)).toEqual(warnings(threaded.stderr))
  })

  it('classify --readers: only with --input, 0 or 1', async () => {
    const dir = tmp()
    const without = await runCli(['classify', '--readers', '1'], { cwd: dir })
    expect(without.code).toBe(2)
    expect(without.stderr).toMatch(/--readers applies to --input only/)
    const many = await runCli(['classify', '--input', '-', '--readers', '2'], { cwd: dir, input: 'hello\n' })
    expect(many.code).toBe(2)
    expect(many.stderr).toMatch(/--readers/)
  })

  it('classify --input - tags stdin without a database and writes NDJSON', async () => {
    const dir = tmp()
    const r = await runCli(['classify', '--input', '-'], { cwd: dir, input: 'is your app down?\n\nthank you so much!\n' })
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const rows = ndjson(r.stdout)
    expect(rows.map((x) => [x.id, x.label, x.needsResponse])).toEqual([
      [1, 'outage', true],
      [3, 'praise', false],
    ])
    expect(Object.keys(rows[0]!)).toEqual(['id', 'label', 'scores', 'needsResponse', 'lang', 'lowConfidence'])
  })

  it('classify --input FILE --explain: bad JSON lines go to stderr with file:line and exit 1', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'posts.jsonl'), '{"id":"a","text":"Seit heute morgen kein Netz in Köln","lang":"de"}\n{"id":"b"}\n')
    const r = await runCli(['classify', '--input', 'posts.jsonl', '--explain'], { cwd: dir })
    expect(r.code).toBe(1)
    const [row] = ndjson(r.stdout)
    expect(row).toMatchObject({ id: 'a', label: 'outage', lang: 'de', rules: [expect.objectContaining({ id: 'de:outage:kein netz' })] })
    expect(r.stderr).toMatch(/posts\.jsonl:2: no "text" field; line skipped/)
    expect(r.stderr).toMatch(/listen: 1 bad lines in posts\.jsonl skipped; the other 1 were tagged/)
  })

  it('classify --text --explain prints one explanation as JSON', async () => {
    const r = await runCli(['classify', '--text', 'Why is my order late AGAIN?', '--explain', '--format', 'json'], { cwd: tmp() })
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as { label: string; rulesFired: unknown[]; topTokens: unknown[] }
    expect(doc.label).toBe('complaint')
    expect(doc.rulesFired.length).toBeGreaterThan(0)
    expect(doc.topTokens.length).toBeGreaterThan(0)
  })

  it('classify, label, train, eval and reset on one database', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'm.jsonl'), MENTIONS.map((m) => JSON.stringify(m)).join('\n'))
    expect((await runCli(['import', 'm.jsonl', '--no-tag'], { cwd: dir })).code).toBe(0)

    const tagged = await runCli(['classify', '--format', 'json'], { cwd: dir })
    expect(tagged.code).toBe(0)
    expect(JSON.parse(tagged.stdout)).toMatchObject({ scope: 'untagged', examined: 3, tagged: 3, byLabel: { outage: 1, praise: 1, question: 1 } })

    const labelled = await runCli(['label', 'x:2', 'complaint', '--by', 'sam', '--format', 'json'], { cwd: dir })
    expect(labelled.code).toBe(0)
    expect(JSON.parse(labelled.stdout)).toMatchObject({ source: 'x', id: '2', label: 'complaint', previousLabel: 'praise', by: 'sam' })

    const all = await runCli(['classify', '--all', '--format', 'csv'], { cwd: dir })
    expect(all.code).toBe(0)
    expect(all.stdout.split('\r\n')[0]).toBe('scope,examined,tagged,relabelled,unchanged,humanKept,outage,complaint,question,praise,other,modelVersion')
    expect(all.stdout.split('\r\n')[1]).toMatch(/^all,2,0,0,2,1,/)
    const listed = await runCli(['mentions', '--format', 'json'], { cwd: dir })
    expect((JSON.parse(listed.stdout) as { mentions: Array<{ id: string; label: string; labelSource: string }> }).mentions.find((m) => m.id === '2')).toMatchObject({
      label: 'complaint',
      labelSource: 'human',
    })

    writeFileSync(join(dir, 'train.csv'), 'text,label,lang\n"Die App stürzt ständig ab",complaint,de\nthanks a lot,praise,en\nno label here,,en\n')
    const trained = await runCli(['train', 'train.csv', '--format', 'json'], { cwd: dir })
    expect(trained.code).toBe(1)
    expect(JSON.parse(trained.stdout)).toMatchObject({ version: { version: 1, action: 'train', examples: 2 }, totals: { bad: 1 }, humanLabels: 1 })
    expect(trained.stderr).toMatch(/train\.csv:4: no "label"; .*row skipped/)
    expect(trained.stderr).toMatch(/1 bad rows skipped; version 1 was trained on the other 2/)

    writeFileSync(join(dir, 'gold.jsonl'), [{ text: 'is the site down?', label: 'outage' }, { text: 'love it, thanks!', label: 'praise' }].map((r) => JSON.stringify(r)).join('\n'))
    const evaluated = await runCli(['eval', 'gold.jsonl', '--format', 'csv'], { cwd: dir })
    expect(evaluated.code).toBe(0)
    expect(evaluated.stderr).toBe('')
    expect(evaluated.stdout.split('\r\n')).toContain('all,,,1,1,1,2,1,1,1,1,1')

    const reset = await runCli(['train', '--reset', '--format', 'json'], { cwd: dir })
    expect(reset.code).toBe(0)
    expect(JSON.parse(reset.stdout)).toMatchObject({ version: { version: 2, action: 'reset', builtin: true } })
    const versions = await runCli(['train', '--list', '--format', 'ndjson'], { cwd: dir })
    expect(ndjson(versions.stdout).map((v) => [v.version, v.action, v.active])).toEqual([
      [1, 'train', ''],
      [2, 'reset', 'active'],
    ])
  })

  it.each([
    [['label', 'x:1', 'angry'], /label: unknown label "angry"/],
    [['classify', '--input', 'nope.txt'], /classify --input: no such file: nope\.txt/],
    [['classify', '--input', '-', '--format', 'csv'], /classify --input writes NDJSON; --format csv does not apply/],
    [['classify', '--explain'], /--explain applies to --input or --text only/],
    [['eval', 'nope.jsonl'], /eval: no such file: nope\.jsonl/],
    [['eval', 'nope.jsonl', '--against', 'builtin'], /--against builtin: that is the model being measured/],
    [['train', 'x.jsonl', '--mapping', 'imdb'], /--mapping: "imdb" is not one of/],
    [['train'], /name at least one labelled file .* or pass --reset/],
    [['classify'], /no database at .*listen\.db/],
  ])('exits 2 with a one-line error for %j', async (args, message) => {
    const r = await runCli(args, { cwd: tmp() })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toBe('')
  })

  it('label names an unknown mention with exit 2', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'm.jsonl'), JSON.stringify(MENTIONS[0]))
    await runCli(['import', 'm.jsonl'], { cwd: dir })
    const r = await runCli(['label', 'x:999', 'praise'], { cwd: dir })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/label: no mention x:999 in .*listen\.db/)
  })
})
