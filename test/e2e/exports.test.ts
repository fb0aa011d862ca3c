// Exports read back by strict readers: every row of the real TWCS excerpt through listen import and
// listen mentions --format csv|tsv, then Python's csv module (and pandas, when installed) cell for
// cell against the source file. Plus the spreadsheet guard, --json FIELDS, --output and cut lists.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { SHARED, useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()
const TWCS = join(SHARED, 'datasets/twcs_head5000.csv')
const TWCS_MAP = 'id=tweet_id,author=author_id,created_at=created_at,text=text,in_reply_to=in_response_to_tweet_id,by_brand=not:inbound'
// Debian's python3 (apt-get install python3-pandas); a pyenv shim earlier on PATH may lack pandas.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
const hasPython = spawnSync(PYTHON, ['-c', 'import csv'], { encoding: 'utf8' }).status === 0
const hasPandas = hasPython && spawnSync(PYTHON, ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0

// Reads the source with csv.DictReader and the export with csv.reader (strict: a bare LF inside an
// unquoted cell would split the record), and compares every mapped cell. Prints a JSON verdict.
const COMPARE = String.raw`
import csv, json, re, sys
source, export, delimiter, guarded, reader = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == '1', sys.argv[5]
FORMULA = re.compile(r'^[\s\x00-\x1f\x7f-\x9f]*[=+\-@]|^[\t\r]')
guard = (lambda t: "'" + t if guarded and FORMULA.match(t) else t)
with open(source, newline='', encoding='utf-8') as f:
    src = {r['tweet_id']: r for r in csv.DictReader(f)}
if reader == 'pandas':
    import pandas
    df = pandas.read_csv(export, sep=delimiter, dtype=str, keep_default_na=False, encoding='utf-8')
    header, rows = list(df.columns), df.values.tolist()
else:
    with open(export, newline='', encoding='utf-8') as f:
        records = list(csv.reader(f, delimiter=delimiter, strict=True))
    header, rows = records[0], records[1:]
col = {name: i for i, name in enumerate(header)}
bad = [r for r in rows if len(r) != len(header)]
mismatches, seen = [], set()
for r in rows:
    if len(r) != len(header): continue
    s = src.get(r[col['id']])
    if s is None:
        mismatches.append(['unknown id', r[col['id']]]); continue
    seen.add(r[col['id']])
    want = {'text': guard(s['text']), 'author': s['author_id'], 'inReplyTo': s['in_response_to_tweet_id'], 'byBrand': 'false' if s['inbound'] == 'True' else 'true'}
    for k, v in want.items():
        if r[col[k]] != v: mismatches.append([r[col['id']], k, r[col[k]][:80], v[:80]])
print(json.dumps({'rows': len(rows), 'badRecords': len(bad), 'ids': len(seen), 'mismatches': mismatches[:5], 'mismatchCount': len(mismatches)}))
`

function compare(exportFile: string, delimiter: ',' | '\t', guarded: boolean, reader: 'csv' | 'pandas') {
  const r = spawnSync(PYTHON, ['-c', COMPARE, TWCS, exportFile, delimiter, guarded ? '1' : '0', reader], { encoding: 'utf8' })
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout) as { rows: number; badRecords: number; ids: number; mismatches: unknown[]; mismatchCount: number }
}

describe.skipIf(!hasPython)('csv and tsv of every real TWCS row, read back by strict readers', () => {
  let dir = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'listen-exports-'))
    const imp = await runCli(['import', TWCS, '--source', 'twitter', '--map', TWCS_MAP, '--no-tag'], { cwd: dir })
    expect(imp.code).toBe(0)
  }, 60_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each([
    ['csv', ','],
    ['tsv', '\t'],
  ] as const)('%s: 5,000 records, every text, author, reply and brand cell as in the source, with and without the formula guard', async (format, delimiter) => {
    for (const guarded of [true, false]) {
      const file = join(dir, `all-${guarded}.${format}`)
      const args = ['mentions', '--limit', '0', '--format', format, '--output', file, ...(guarded ? [] : ['--no-formula-guard'])]
      const r = await runCli(args, { cwd: dir })
      expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' })
      for (const reader of hasPandas ? (['csv', 'pandas'] as const) : (['csv'] as const)) {
        expect(compare(file, delimiter, guarded, reader), `${format} guarded=${guarded} read by ${reader}`).toEqual({ rows: 5000, badRecords: 0, ids: 5000, mismatches: [], mismatchCount: 0 })
      }
    }
  })

  it('keeps the guard by default and for Excel: @handles get an apostrophe, --no-formula-guard leaves them', async () => {
    const guarded = await runCli(['mentions', '--search', 'private secured link', '--limit', '1', '--format', 'csv', '--bom'], { cwd: dir })
    expect(guarded.stdout.startsWith('\ufeffcreatedAt,')).toBe(true)
    expect(guarded.stdout).toMatch(/,'@\d+ /)
    const raw = await runCli(['mentions', '--search', 'private secured link', '--limit', '1', '--format', 'csv', '--no-formula-guard', '--no-header'], { cwd: dir })
    expect(raw.stdout).not.toMatch(/^createdAt/)
    expect(raw.stdout).toMatch(/,@\d+ /)
  })
})

describe('hostile cells', () => {
  it('quotes bare CR and LF, guards formulas after leading whitespace and controls, strips escape sequences', async () => {
    const dir = tmp()
    const rows = [
      { id: 'cr-formula', text: '\r=1+1' },
      { id: 'space-formula', text: '  =HYPERLINK("http://x")' },
      { id: 'bare-lf', text: 'line one\nline two' },
      { id: 'bare-cr', text: 'line one\rline two' },
      { id: 'escapes', text: 'red \u001b[31malert\u001b[0m and \u001b]8;;http://evil\u0007link\u001b]8;;\u0007' },
      { id: 'tab', text: 'a\tb' },
    ].map((r, i) => JSON.stringify({ ...r, source: 'test', created_at: `2026-11-0${i + 1}T10:00:00Z` }))
    writeFileSync(join(dir, 'hostile.jsonl'), `${rows.join('\n')}\n`)
    expect((await runCli(['import', 'hostile.jsonl', '--no-tag'], { cwd: dir })).code).toBe(0)
    for (const [format, delimiter] of [['csv', ','], ['tsv', '\t']] as const) {
      const r = await runCli(['mentions', '--format', format, '--output', `out.${format}`], { cwd: dir })
      expect(r.code).toBe(0)
      const py = spawnSync(PYTHON, ['-c', `import csv, json, sys; print(json.dumps({r[3]: r[8] for r in list(csv.reader(open(sys.argv[1], newline=''), delimiter=sys.argv[2], strict=True))[1:]}))`, join(dir, `out.${format}`), delimiter], { encoding: 'utf8' })
      expect(JSON.parse(py.stdout)).toEqual({
        'cr-formula': "'\r=1+1",
        'space-formula': `'  =HYPERLINK("http://x")`,
        'bare-lf': 'line one\nline two',
        'bare-cr': 'line one\rline two',
        escapes: 'red alert and link',
        tab: 'a\tb',
      })
    }
  })
})

describe('picking and placing output', () => {
  it('--json FIELDS prints an array of the named fields; bare --json and unknown fields list what exists', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'p.jsonl'), ['a', 'b', 'c'].map((id, i) => JSON.stringify({ id, source: 'test', created_at: `2026-11-0${i + 1}T10:00:00Z`, text: `post ${id}` })).join('\n'))
    await runCli(['import', 'p.jsonl', '--no-tag'], { cwd: dir })
    const picked = await runCli(['mentions', '--json', 'id,text', '--limit', '2'], { cwd: dir })
    expect(picked.code).toBe(0)
    expect(JSON.parse(picked.stdout)).toEqual([
      { id: 'c', text: 'post c' },
      { id: 'b', text: 'post b' },
    ])
    expect(picked.stderr).toBe('2 of 3 shown; --limit 0 for all\n')
    const bare = await runCli(['mentions', '--json'], { cwd: dir })
    expect(bare).toMatchObject({ code: 2, stdout: '' })
    expect(bare.stderr).toMatch(/^listen: --json: name the fields.*available: createdAt, source, id/)
    const unknown = await runCli(['report', '--from', '2026-11-01', '--until', '2026-11-05', '--json', 'hour,nope'], { cwd: dir })
    expect(unknown).toMatchObject({ code: 2, stdout: '' })
    expect(unknown.stderr).toMatch(/--json: unknown field "nope"; available: hour, total, perDay, outage/)
    const hours = await runCli(['report', '--from', '2026-11-01', '--until', '2026-11-05', '--json', 'hour,total,coverage'], { cwd: dir })
    expect(JSON.parse(hours.stdout)[10]).toEqual({ hour: 10, total: 3, coverage: null })
    const clash = await runCli(['mentions', '--json', 'id', '--format', 'csv'], { cwd: dir })
    expect(clash).toMatchObject({ code: 2, stdout: '' })
  })

  it('--output FILE writes the file (format from its extension) and nothing to stdout; csv-only flags are refused elsewhere', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'p.jsonl'), JSON.stringify({ id: 'a', source: 'test', created_at: '2026-11-01T10:00:00Z', text: 'hello' }))
    await runCli(['import', 'p.jsonl', '--no-tag'], { cwd: dir })
    for (const [file, check] of [
      ['m.csv', (s: string) => expect(s.split('\r\n')[0]).toMatch(/^createdAt,createdAt_local,source,id/)],
      ['m.tsv', (s: string) => expect(s.split('\r\n')[0]).toMatch(/^createdAt\tcreatedAt_local\tsource\tid/)],
      ['m.ndjson', (s: string) => expect(JSON.parse(s).id).toBe('a')],
      ['m.json', (s: string) => expect(JSON.parse(s).kind).toBe('mentions')],
    ] as const) {
      const r = await runCli(['mentions', '--output', file], { cwd: dir })
      expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' })
      check(readFileSync(join(dir, file), 'utf8'))
    }
    const missing = await runCli(['mentions', '--output', 'no/such/dir/m.csv'], { cwd: dir })
    expect(missing).toMatchObject({ code: 2, stdout: '' })
    expect(missing.stderr).toMatch(/^listen: --output: cannot write .*m\.csv: no such directory/)
    const header = await runCli(['mentions', '--format', 'json', '--no-header'], { cwd: dir })
    expect(header).toMatchObject({ code: 2, stdout: '' })
    expect(header.stderr).toMatch(/--no-header applies to csv and tsv output, not json/)
  })
})
