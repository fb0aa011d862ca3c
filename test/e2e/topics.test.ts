// Topics as a user runs them: import tags topics, classify --topics re-tags (keeping human topics),
// label --topic corrects one, --text --explain, a taxonomy from the config, and the errors.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

const MENTIONS = [
  { id: '1', source: 'x', created_at: '2026-11-02T09:00:00Z', text: 'the app crashes on every start' },
  { id: '2', source: 'x', created_at: '2026-11-02T09:05:00Z', text: 'Schon wieder eine Lieferverzögerung, wo bleibt mein Paket?' },
  { id: '3', source: 'x', created_at: '2026-11-02T09:10:00Z', text: 'you charged me twice, I want a refund' },
]

function withMentions(): string {
  const dir = tmp()
  writeFileSync(join(dir, 'm.jsonl'), MENTIONS.map((m) => JSON.stringify(m)).join('\n'))
  return dir
}

describe('listen topics', () => {
  it('import gives every mention a topic; mentions shows it in every format', async () => {
    const dir = withMentions()
    expect((await runCli(['import', 'm.jsonl'], { cwd: dir })).code).toBe(0)
    const r = await runCli(['mentions', '--format', 'csv', '--no-formula-guard'], { cwd: dir })
    expect(r.code).toBe(0)
    const rows = parse(r.stdout, { columns: true, bom: true }) as Array<Record<string, string>>
    expect(Object.fromEntries(rows.map((x) => [x.id, x.topic]))).toEqual({ '1': 'technical', '2': 'delivery', '3': 'billing' })
    const table = await runCli(['mentions', '--format', 'table'], { cwd: dir })
    expect(table.stdout).toMatch(/│ topic\s+│/)
  })

  it('mentions --topic lists one topic (or the untagged ones) and names an unknown topic', async () => {
    const dir = withMentions()
    expect((await runCli(['import', 'm.jsonl'], { cwd: dir })).code).toBe(0)
    const ids = async (...flags: string[]) => {
      const r = await runCli(['mentions', ...flags, '--format', 'json'], { cwd: dir })
      expect(r.code, r.stderr).toBe(0)
      return (JSON.parse(r.stdout) as { mentions: Array<{ id: string }> }).mentions.map((m) => m.id).sort()
    }
    expect(await ids('--topic', 'billing')).toEqual(['3'])
    expect(await ids('--topic', 'Delivery,technical')).toEqual(['1', '2'])
    expect(await ids('--topic', 'untagged')).toEqual([])
    const bad = await runCli(['mentions', '--topic', 'checkout'], { cwd: dir })
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toMatch(/--topic: unknown topic "checkout"; expected one of billing, delivery, technical, account, product, service, other, untagged/)
  })

  it('classify --topics tags untagged mentions, label --topic wins over --all re-tagging', async () => {
    const dir = withMentions()
    expect((await runCli(['import', 'm.jsonl', '--no-tag'], { cwd: dir })).code).toBe(0)
    const tagged = await runCli(['classify', '--topics', '--format', 'json'], { cwd: dir })
    expect(tagged.code).toBe(0)
    expect(JSON.parse(tagged.stdout)).toMatchObject({ kind: 'topics-classify', scope: 'untagged', examined: 3, tagged: 3, byTopic: { technical: 1, delivery: 1, billing: 1 } })

    const labelled = await runCli(['label', '--topic', 'x:3', 'Service', '--format', 'json'], { cwd: dir })
    expect(labelled.code).toBe(0)
    expect(JSON.parse(labelled.stdout)).toMatchObject({ topic: 'service', previous: { topic: 'billing', topicSource: 'keyword' } })

    const all = await runCli(['classify', '--topics', '--all', '--format', 'csv'], { cwd: dir })
    expect(all.code).toBe(0)
    const [row] = parse(all.stdout, { columns: true }) as Array<Record<string, string>>
    expect(row).toMatchObject({ scope: 'all', examined: '2', unchanged: '2', humanKept: '1' })
    // A re-import of the same file does not undo the human topic either.
    expect((await runCli(['import', 'm.jsonl'], { cwd: dir })).code).toBe(0)
    const listed = await runCli(['mentions', '--format', 'json'], { cwd: dir })
    const m3 = (JSON.parse(listed.stdout) as { mentions: Array<{ id: string; topic: string; topicSource: string }> }).mentions.find((m) => m.id === '3')
    expect(m3).toMatchObject({ topic: 'service', topicSource: 'human' })
  })

  it('label --topic names unknown topics and mentions', async () => {
    const dir = withMentions()
    await runCli(['import', 'm.jsonl'], { cwd: dir })
    const unknown = await runCli(['label', '--topic', 'x:1', 'checkout'], { cwd: dir })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown topic "checkout" \(billing, delivery, technical, account, product, service, other/)
    const missing = await runCli(['label', '--topic', 'x:99', 'billing'], { cwd: dir })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/no mention x:99/)
  })

  it('classify --topics --text --explain shows the keywords and n-grams; the config taxonomy replaces the built-in one', async () => {
    const r = await runCli(['classify', '--topics', '--text', 'Doppelte Abbuchung auf meiner Kreditkarte', '--explain', '--format', 'json'], { cwd: tmp() })
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as { topic: string; source: string; explain: { keywords: Array<{ keyword: string; word: string }>; top: unknown[] } }
    expect(doc).toMatchObject({ topic: 'billing', source: 'keyword', lang: 'de' })
    expect(doc.explain.keywords).toEqual(expect.arrayContaining([expect.objectContaining({ keyword: 'abbuch', word: 'abbuchung' })]))
    expect(doc.explain.top.length).toBeGreaterThan(0)
    const table = await runCli(['classify', '--topics', '--text', 'Doppelte Abbuchung auf meiner Kreditkarte', '--explain', '--format', 'table'], { cwd: tmp() })
    expect(table.stdout).toMatch(/keywords: abbuch → billing \(in "abbuchung"\)/)

    const dir = tmp()
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ topics: [{ name: 'checkout', keywords: { en: ['basket', 'checkout'] } }] }))
    const custom = await runCli(['classify', '--topics', '--text', 'my basket empties itself', '--format', 'json'], { cwd: dir })
    expect(JSON.parse(custom.stdout)).toMatchObject({ topic: 'checkout', taxonomy: 'config' })
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ topics: [{ name: 'Checkout!' }] }))
    const bad = await runCli(['classify', '--topics', '--text', 'x'], { cwd: dir })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/topics\.0\.name|topics\[0\]\.name/)
  })
})
