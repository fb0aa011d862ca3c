// Personal-data detection: each kind in its usual formats, the near-misses that must stay clean,
// masking, config validation, floors on our labelled set, and behaviour on real TWCS text.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createPiiDetector, detectPii, maskPii, maskPiiInText, PII_KINDS, piiKinds, type PiiFinding, type PiiKind } from '../../src/care/pii.js'
import { UsageError } from '../../src/models/errors.js'
import { SHARED } from '../helpers/tmp.js'
// @ts-expect-error plain ESM script shared with the measurement (no types)
import { loadPiiSet, loadRealTexts, scorePii } from './pii-score.mjs'

const detector = createPiiDetector({ region: 'DE' })
const found = (text: string, d = detector) => detectPii(text, d).map((f) => [f.kind, text.slice(f.start, f.end)])

describe('detectPii finds each kind', () => {
  it.each([
    ['email', 'mail me at john.doe@example.com please', 'john.doe@example.com'],
    ['email', 'Kontakt: anna-lena.berg@mail.example.co.uk.', 'anna-lena.berg@mail.example.co.uk'],
    ['email', '@AcmeAir schreibt an K.YILMAZ+care@EXAMPLE.DE', 'K.YILMAZ+care@EXAMPLE.DE'],
    ['phone', 'Ruf mich an: +49 30 23125678', '+49 30 23125678'],
    ['phone', 'Festnetz 030/23125678 tot', '030/23125678'],
    ['phone', 'Handy 0171 1234567 bitte', '0171 1234567'],
    ['phone', 'Nummer (030) 231 25 678, danke', '(030) 231 25 678'],
    ['phone', 'call +44 20 7946 0958 today', '+44 20 7946 0958'],
    ['phone', 'meine Nummer 0049 89 99998456', '0049 89 99998456'],
    ['phone', 'Tel.:0170-1234567 bitte', '0170-1234567'],
    ['phone', 'lieber +49 (0)40 66969123 anrufen', '+49 (0)40 66969123'],
    ['phone', 'call me at (312) 555-0147 tonight', '(312) 555-0147'],
    ['phone', 'hotline 1-800-555-0199 hangs up', '1-800-555-0199'],
    ['phone', 'UK line 020 7946 0958 from 9', '020 7946 0958'],
    ['phone', 'Wien: 0664 5551234', '0664 5551234'],
    ['phone', 'Schweiz 079 555 12 34', '079 555 12 34'],
    ['phone', 'my phone number is 2025550164 thanks', '2025550164'],
    ['iban', 'IBAN DE89 3704 0044 0532 0130 00, danke', 'DE89 3704 0044 0532 0130 00'],
    ['iban', 'auf DE89370400440532013000 bitte', 'DE89370400440532013000'],
    ['iban', 'refund to GB82 WEST 1234 5698 7654 32 please', 'GB82 WEST 1234 5698 7654 32'],
    ['iban', 'an AT61 1904 3002 3457 3201 überweisen', 'AT61 1904 3002 3457 3201'],
    ['iban', 'FR14 2004 1010 0505 0001 3M02 606 is mine', 'FR14 2004 1010 0505 0001 3M02 606'],
    ['card', 'charged 4242 4242 4242 4242 twice', '4242 4242 4242 4242'],
    ['card', 'Karte 5555-5555-5555-4444 belastet', '5555-5555-5555-4444'],
    ['card', 'why was 4111111111111111 declined', '4111111111111111'],
    ['card', 'amex 3782 822463 10005 charged', '3782 822463 10005'],
    ['card', 'MC 2223 0031 2200 3222 failed', '2223 0031 2200 3222'],
    ['order', 'Bestellnummer 123-456 fehlt', '123-456'],
    ['order', 'where is order #A1234567?', 'A1234567'],
    ['order', 'booking ref XYZ123, seats gone', 'XYZ123'],
    ['order', 'Auftragsnummer: A-2024-55812', 'A-2024-55812'],
    ['order', 'Ihre Bestellung Nr. 99812 kam nicht', '99812'],
    ['order', 'my order 40012398 says delivered', '40012398'],
    ['customer', 'Kundennummer 12345678, Rechnung falsch', '12345678'],
    ['customer', 'customer number is 30098812', '30098812'],
    ['customer', 'Kunden-Nr.: K-99123 bitte', 'K-99123'],
    ['customer', 'Kundennummer 1234 5678 – bitte', '1234 5678'],
    ['ticket', 'Ticket-Nr. 4711-22 eingereicht', '4711-22'],
    ['ticket', 'Vorgangsnummer 2024-118822 offen', '2024-118822'],
    ['ticket', 'case number: 04412345 still open', '04412345'],
    ['ticket', 'support ticket #INC0012345 open', 'INC0012345'],
    ['ticket', 'Erstattungsantrag Nr. 55120934 offen', '55120934'],
  ] as Array<[PiiKind, string, string]>)('%s in %j', (kind, text, value) => {
    expect(found(text)).toEqual([[kind, value]])
  })
})

describe('near-misses are not personal data', () => {
  it.each([
    'Flug am 12.03.2024, umgebucht auf 2024-03-14',
    'booked for 03/12/24, now 03/21/24',
    'Abfahrt 07:42, Ankunft 08:19, 10.30 Uhr',
    'kostet 1.299,00 € statt 1.449,00 €',
    'was $1,299.99 online and $1,449.00 in store',
    'Überweisung über 1.250.000,00 € heute',
    'seit 2019 Kunde, 1990–2024 treu',
    'Lieferung nach 10115 Berlin',
    'LH 1234 und ICE 1234 und EW 9461 annulliert',
    'DHL 00340434161234567890 steht still',
    'UPS 1Z999AA10123456784 unknown',
    'USPS tracking 9400111899223197428490',
    'Link https://track.example.com/?trackingNumber=00340434161234567890 kaputt',
    'v2.3.14 crashes, iOS 17.1.2 too, build 10.0.22631.3447',
    'router at 192.168.178.23 and 10.0.0.138',
    'error 0x80070005 and error 503',
    'model WH-1000XM4 and SM-G991B',
    '#flight1234 #Bahn2024 @traveler_20931',
    'see https://status.example.com/incidents/0301234567',
    'https://twitter.com/AcmeAir/status/1764432109876543210 says fixed',
    'ISBN 978-3-16-148410-0 and ISBN 0-306-40615-2',
    '5G only 12% of the time, 2-1 at halftime, 3:1 final',
    'card ending 4242 declined',
    'Karte 4242 4242 4242 4241 abgelehnt',
    'IBAN DE89 3704 0044 0532 0130 01 ungültig?',
    'please DM me your order number',
    'Lieferfenster 0800-2000, niemand kam',
    'am 03. 08. 2015 - 22:06 Uhr evakuiert',
    'DPCI 030-02-8711 not in stock',
    'IMEI 490154203237518 blacklisted',
    'Artikel-Nr. 4012345678901 ausverkauft',
    'order 2 pizzas and a case of 24 cans',
    'Strnr.01584160273 Gewerbe',
    'cancelled my reservation #1lesscustomer',
    '@AcmeAir @friend 0162431184663, refund please',
  ])('%j', (text) => {
    expect(found(text)).toEqual([])
  })
})

describe('one value, one kind', () => {
  it.each([
    ['IBAN DE89370400440532013000', 'iban'],
    ['Karte 4242424242424242', 'card'],
    ['Kundennummer 0301234567', 'customer'],
    ['Bestellnummer 4242 4242 4242 4242', 'card'],
  ])('%j is only %s', (text, kind) => {
    expect(detectPii(text, detector).map((f) => f.kind)).toEqual([kind])
  })

  it('findings are ordered and never overlap', () => {
    const text = 'Kd.-Nr. 55012344, Tel. 0171 1234567, Mail a.b@example.de, IBAN DE89 3704 0044 0532 0130 00, Karte 4242 4242 4242 4242'
    const findings = detectPii(text, detector)
    expect(findings.map((f) => f.kind)).toEqual(['customer', 'phone', 'email', 'iban', 'card'])
    for (let i = 1; i < findings.length; i++) expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end)
  })
})

describe('regions', () => {
  it.each([
    [{ region: 'DE' }, '030 23125678', true],
    [{ region: 'US', regions: [] }, '030 23125678', false],
    [{ region: 'US', regions: [] }, '(312) 555-0147', true],
    [{ region: 'DE', regions: [] }, '(312) 555-0147', false],
    [{ region: 'GB', regions: [] }, '0161 496 0777', true],
    [{ region: 'at' }, '0664 5551234', true],
  ])('%j finds %s: %s', (options, number, expected) => {
    const d = createPiiDetector(options)
    expect(found(`call ${number} please`, d)).toEqual(expected ? [['phone', number]] : [])
  })

  it.each([
    [{ region: 'XX' }, /region: "XX" is not a phone region/],
    [{ regions: ['DE', 'Germany'] }, /regions\[1\]: "Germany" is not a phone region/],
  ])('rejects %j', (options, message) => {
    expect(() => createPiiDetector(options)).toThrow(UsageError)
    expect(() => createPiiDetector(options)).toThrow(message)
  })
})

describe('reference patterns from the config', () => {
  it('adds matches of capture group 1 with the configured kind', () => {
    const d = createPiiDetector({ referencePatterns: [{ kind: 'customer', pattern: 'Vertrag\\s+(V\\d{6})' }, { kind: 'ticket', pattern: '\\b(TT-\\d{4})\\b', flags: 'i' }] })
    expect(found('Vertrag V123456, Störung tt-0815', d)).toEqual([
      ['customer', 'V123456'],
      ['ticket', 'tt-0815'],
    ])
  })

  it.each([
    [{ kind: 'order', pattern: '(abc' }, /^\[0\] \(order "\(abc"\): not a valid regular expression/],
    [{ kind: 'order', pattern: 'A\\d{6}' }, /^\[0\] .*needs a capture group/],
    [{ kind: 'ticket', pattern: 'x?(\\d*)' }, /^\[0\] .*matches the empty string/],
    [{ kind: 'invoice', pattern: '(\\d+)' }, /^\[0\]: unknown kind "invoice"; expected one of order, customer, ticket/],
    [{ kind: 'order', pattern: '' }, /^\[0\] .*non-empty string/],
    [{ kind: 'order', pattern: '(\\d+)', flags: 'g' }, /^\[0\] .*flags "g" not allowed/],
  ])('rejects %j', (entry, message) => {
    const make = () => createPiiDetector({ referencePatterns: [entry as never] })
    expect(make).toThrow(UsageError)
    expect(make).toThrow(message)
  })

  it('names the offending entry by its index', () => {
    expect(() => createPiiDetector({ referencePatterns: [{ kind: 'order', pattern: '(A\\d+)' }, { kind: 'order', pattern: '[' }] })).toThrow(/^\[1\] /)
  })
})

describe('masking', () => {
  it.each([
    ['DE89 3704 0044 0532 0130 00', 'iban', 'DE89 •••• 3000'],
    ['de89370400440532013000', 'iban', 'DE89 •••• 3000'],
    ['4242 4242 4242 4242', 'card', '•••• •••• •••• 4242'],
    ['378282246310005', 'card', '•••• •••• •••• 0005'],
    ['john.doe@example.com', 'email', 'j•••@e•••.com'],
    ['+49 171 1234567', 'phone', '+49 •••• 67'],
    ['0049 30 23125678', 'phone', '+49 •••• 78'],
    ['0171 1234567', 'phone', '0•••• 67'],
    ['(312) 555-0147', 'phone', '•••• 47'],
    ['A1234567', 'order', 'A12•••67'],
    ['4711-22', 'ticket', '47•••2'],
    ['K9912', 'customer', 'K•••'],
  ] as Array<[string, PiiKind, string]>)('%s (%s) → %s', (value, kind, mask) => {
    const text = `x ${value} y`
    expect(maskPii(text, { kind, start: 2, end: 2 + value.length })).toBe(mask)
  })

  it('maskPiiInText replaces every finding and keeps the rest', () => {
    const text = 'Ruf 0171 1234567 an, IBAN DE89 3704 0044 0532 0130 00, Mail john.doe@example.com'
    expect(maskPiiInText(text, detectPii(text, detector))).toBe('Ruf 0•••• 67 an, IBAN DE89 •••• 3000, Mail j•••@e•••.com')
    expect(maskPiiInText('nichts hier', [])).toBe('nichts hier')
  })

  it('no mask of a labelled value shows the whole value', () => {
    for (const row of loadPiiSet() as Array<{ text: string }>) {
      for (const f of detectPii(row.text, detector)) {
        const value = row.text.slice(f.start, f.end)
        const mask = maskPii(row.text, f)
        expect(mask).not.toContain(value)
        expect(mask.replace(/[^0-9A-Za-z]/g, '').length).toBeLessThan(value.replace(/[^0-9A-Za-z]/g, '').length)
      }
    }
  })
})

describe('piiKinds', () => {
  it.each([
    ['Tel. 0171 1234567 oder 030 23125678, Mail a@example.de', ['email', 'phone']],
    ['Kundennummer 12345678, IBAN DE89370400440532013000', ['iban', 'customer']],
    ['ganz normaler Post ohne Daten', []],
    ['@AcmeAir flight 1234 delayed 2 hours', []],
  ] as Array<[string, PiiKind[]]>)('%j → %j', (text, kinds) => {
    expect(piiKinds(text, detector)).toEqual(kinds)
  })
})

// A seeded jumble of digits, separators and keywords: offsets stay inside the text, sorted, disjoint.
describe('robustness', () => {
  it('never throws and keeps findings well-formed on generated input', () => {
    let seed = 42
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const atoms = ['0', '1', '4', '9', ' ', '-', '/', '.', '(', ')', '+', '@', 'DE', 'IBAN ', 'Kundennummer ', 'order #', 'a', 'x.y', '€', '\n', '💥', 'ä']
    for (let i = 0; i < 3000; i++) {
      let text = ''
      const n = 1 + Math.floor(next() * 60)
      for (let j = 0; j < n; j++) text += atoms[Math.floor(next() * atoms.length)]
      const findings: PiiFinding[] = detectPii(text, detector)
      let end = 0
      for (const f of findings) {
        expect(PII_KINDS).toContain(f.kind)
        expect(f.start).toBeGreaterThanOrEqual(end)
        expect(f.end).toBeGreaterThan(f.start)
        expect(f.end).toBeLessThanOrEqual(text.length)
        end = f.end
      }
    }
    expect(detectPii('', detector)).toEqual([])
    expect(detectPii('9'.repeat(20000), detector)).toEqual([])
  })
})

// Floors sit a little under the figures of `node test/care/pii-measure.mjs` (all 1.000 precision;
// recall 0.94–1.00 per kind, 0.975 overall) so a regression fails without noise doing it.
describe('labelled set test/care/pii-set.jsonl', () => {
  const rows = loadPiiSet() as Array<{ id: string; lang: string; text: string; pii: Array<{ kind: string; value: string }> }>
  const score = scorePii(rows, (t: string) => detectPii(t, detector))

  it('is well-formed: 400+ posts, both languages, every gold value in its text', () => {
    expect(rows.length).toBeGreaterThanOrEqual(400)
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length)
    const de = rows.filter((r) => r.lang === 'de').length
    expect(de / rows.length).toBeGreaterThan(0.4)
    expect(de / rows.length).toBeLessThan(0.6)
    for (const r of rows) for (const g of r.pii) {
      expect(PII_KINDS).toContain(g.kind)
      expect(r.text).toContain(g.value)
    }
    expect(rows.filter((r) => r.pii.length > 0).length / rows.length).toBeGreaterThan(0.3)
    expect(rows.filter((r) => r.id.includes('-near-')).length / rows.length).toBeGreaterThan(0.3)
  })

  it.each([
    ['email', 0.95, 0.9],
    ['phone', 0.95, 0.95],
    ['iban', 0.95, 0.95],
    ['card', 0.95, 0.95],
    ['order', 0.95, 0.93],
    ['customer', 0.95, 0.9],
    ['ticket', 0.95, 0.9],
  ])('%s: precision ≥ %d, recall ≥ %d', (kind, precision, recall) => {
    expect(score.perKind[kind].precision).toBeGreaterThanOrEqual(precision)
    expect(score.perKind[kind].recall).toBeGreaterThanOrEqual(recall)
  })

  it('overall: precision ≥ 0.97, recall ≥ 0.95', () => {
    expect(score.overall.precision).toBeGreaterThanOrEqual(0.97)
    expect(score.overall.recall).toBeGreaterThanOrEqual(0.95)
  })
})

// Real customer-support text (../shared, read only). Today 31 of 5,000 posts are flagged, every hit
// read by hand (test/care/pii-set.md); a ceiling of 2 % catches a detector gone noisy.
describe.skipIf(!existsSync(SHARED) && !process.env.CI)('real texts (../shared/datasets)', () => {
  it('TWCS: never throws, flags at most 2 % of posts, and only plausible kinds', () => {
    const twcs = join(SHARED, 'datasets/twcs_head5000.csv')
    expect(existsSync(twcs)).toBe(true)
    const rows = (loadRealTexts(SHARED) as Array<{ source: string; text: string }>).filter((r) => r.source === 'twcs')
    expect(rows.length).toBe(5000)
    const flagged = rows.filter((r) => detectPii(r.text, detector).length > 0)
    expect(flagged.length / rows.length).toBeLessThanOrEqual(0.02)
    expect(flagged.length).toBeGreaterThan(0)
    // TWCS replaced e-mail addresses by a placeholder, and no card or IBAN is posted there.
    const kinds = new Set(flagged.flatMap((r) => piiKinds(r.text, detector)))
    for (const k of ['email', 'iban', 'card']) expect(kinds.has(k as PiiKind)).toBe(false)
  })

  it('all dev texts: flags at most 1.5 % of posts', () => {
    const rows = loadRealTexts(SHARED) as Array<{ text: string }>
    const flagged = rows.filter((r) => detectPii(r.text, detector).length > 0)
    expect(flagged.length / rows.length).toBeLessThanOrEqual(0.015)
  })
})
