import { describe, expect, it } from 'vitest'
import { chooseFormat } from '../../src/render/format.js'
import { render } from '../../src/render/render.js'
import { neutralizeCsvCell, sanitizeForTerminal, stripEscapes } from '../../src/render/sanitize.js'
import { formatMinutes } from '../../src/render/words.js'
import type { View } from '../../src/render/view.js'

const view: View = {
  json: { ok: true },
  rows: [
    { at: Date.parse('2026-11-02T08:00:00Z'), text: '=HYPERLINK("http://evil")', n: 3 },
    { at: Date.parse('2026-11-02T09:30:00Z'), text: 'Grüße \u001b[31mrot\u001b[0m\nzweite Zeile', n: -1 },
  ],
  columns: [
    { key: 'at', header: 'time', kind: 'instant' },
    { key: 'text', header: 'text' },
    { key: 'n', header: 'n', kind: 'int' },
  ],
}
const opts = { tz: 'Europe/Berlin', color: false }

describe('render', () => {
  it('writes CSV with a header, UTC and local time columns and neutralised formulas', () => {
    const csv = render(view, 'csv', opts)
    expect(csv.split('\r\n')[0]).toBe('at,at_local,text,n')
    expect(csv).toContain(`2026-11-02T08:00:00.000Z,2026-11-02T09:00:00+01:00,"'=HYPERLINK(""http://evil"")",3`)
    expect(csv).toContain(',-1\r\n')
    expect(csv.startsWith('\ufeff')).toBe(false)
    expect(render(view, 'csv', { ...opts, bom: true }).startsWith('\ufeffat,')).toBe(true)
  })
  it('writes NDJSON one row per line and JSON as the whole document', () => {
    expect(render(view, 'ndjson', opts).trim().split('\n')).toHaveLength(2)
    expect(JSON.parse(render(view, 'json', opts))).toEqual({ ok: true })
  })
  it('strips escapes from mention text in tables', () => {
    const table = render(view, 'table', opts)
    expect(table).not.toContain('\u001b')
    expect(table).toContain('Grüße rot zweite Zeile')
    expect(table).toContain('2026-11-02 10:30')
  })
})

describe('sanitize', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+49 30 123', "'+49 30 123"],
    ['-rm', "'-rm"],
    ['@handle', "'@handle"],
    ['\tx', "'\tx"],
    ['\r=1+1', "'\r=1+1"],
    ['  =1+1', "'  =1+1"],
    ['\u0000\n@x', "'\u0000\n@x"],
    ['a=b', 'a=b'],
    ['plain', 'plain'],
  ])('neutralizes %j', (input, out) => expect(neutralizeCsvCell(input)).toBe(out))
  it.each([
    ['a\u001b]8;;http://x\u0007link\u001b]8;;\u0007b', 'alinkb'],
    ['bell\u0007 and \u202eevil', 'bell and evil'],
    ['tab\tnew\nline', 'tab new line'],
    ['cr\r\nlf', 'cr lf'],
    ['zero\u200bwidth\u2060 and \ufeffbom', 'zerowidth and bom'],
    ['marks \u200e\u200f\u061c\u2066isolate\u2069', 'marks isolate'],
    ['emoji 👨\u200d👩 keeps ZWJ', 'emoji 👨\u200d👩 keeps ZWJ'],
  ])('sanitizes %j', (input, out) => expect(sanitizeForTerminal(input)).toBe(out))
})

describe('stripEscapes (csv)', () => {
  it.each([
    ['a\u001b[31mred\u001b[0m', 'ared'],
    ['\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['lone \u001b escape', 'lone  escape'],
    ['keeps\nlines\tand tabs', 'keeps\nlines\tand tabs'],
  ])('strips %j', (input, out) => expect(stripEscapes(input)).toBe(out))
})

describe('csv and tsv', () => {
  it('quotes bare LF and CR, leaves the header out with header: false, and the guard off with formulaGuard: false', () => {
    const v: View = { json: null, rows: [{ t: 'a\nb' }, { t: 'c\rd' }, { t: '@x' }], columns: [{ key: 't', header: 't' }] }
    expect(render(v, 'csv', opts)).toBe('t\r\n"a\nb"\r\n"c\rd"\r\n\'@x\r\n')
    expect(render(v, 'tsv', { ...opts, header: false, formulaGuard: false })).toBe('"a\nb"\r\n"c\rd"\r\n@x\r\n')
  })
  it('--json FIELDS picks fields from the rows', () => {
    expect(JSON.parse(render(view, 'json', { ...opts, fields: ['n', 'text'] }))).toEqual([
      { n: 3, text: '=HYPERLINK("http://evil")' },
      { n: -1, text: 'Grüße \u001b[31mrot\u001b[0m\nzweite Zeile' },
    ])
    expect(() => render(view, 'json', { ...opts, fields: ['n', 'x'] })).toThrow(/unknown field "x"; available: at, text, n/)
  })
})

describe('chooseFormat', () => {
  it.each([
    [undefined, true, 'table'],
    [undefined, false, 'json'],
    ['csv', true, 'csv'],
    ['tsv', false, 'tsv'],
  ] as const)('%s on tty=%s → %s', (flag, tty, out) => expect(chooseFormat(flag, tty)).toBe(out))
  it.each([
    ['x.csv', 'csv'],
    ['x.TSV', 'tsv'],
    ['x.jsonl', 'ndjson'],
    ['x.txt', 'table'],
    ['x.out', 'json'],
  ] as const)('--output %s → %s', (file, out) => expect(chooseFormat(undefined, true, file)).toBe(out))
  it('rejects unknown formats', () => expect(() => chooseFormat('xml', true)).toThrow(/--format: "xml" is not one of/))
})

describe('formatMinutes', () => {
  it.each([
    [null, '–'],
    [14.2, '14.2 min'],
    [516, '8.6 h'],
    [47_376, '32.9 d'],
    [200_000, '4.6 months'],
    [4_777_920, '9.1 years'],
  ] as const)('%s min → %s', (min, text) => expect(formatMinutes(min)).toBe(text))
})
