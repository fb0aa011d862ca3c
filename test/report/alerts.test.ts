import { describe, expect, it } from 'vitest'
import type { AlertMessage } from '../../src/models/alerts.js'
import { renderSlackMessage } from '../../src/render/slack.js'
import { formatP } from '../../src/render/words.js'
import { baselineSpans, betaI, decide, fitBaseline, localHourStart, logGamma, negativeBinomialTail, pickExamples, platformAgreement, poissonTail } from '../../src/report/alerts.js'
import { formatLocal } from '../../src/time/zone.js'

const H = 3_600_000
/** Relative error, or absolute below 1e-300 (both underflow to 0). */
const close = (got: number, want: number, rel = 1e-9) => (want === 0 ? got < 1e-300 : Math.abs(got - want) / want < rel)

// Reference values: scipy 1.17 (stats.poisson.sf(k − 1, λ), stats.nbinom.sf(k − 1, r, r / (r + μ)),
// special.gammaln) and mpmath at 40 digits (gammainc) where doubles in scipy underflow.
describe('logGamma', () => {
  it.each([
    [0.5, 0.5723649429247],
    [1, 0],
    [2.5, 0.2846828704729192],
    [10, 12.801827480081469],
    [171.5, 709.1431630309283],
    [1e5, 1051287.7089736569],
  ])('lnΓ(%d) = %d', (x, want) => expect(Math.abs(logGamma(x) - want)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want))))
})

describe('poissonTail P(X ≥ k)', () => {
  it.each([
    [1, 0.5, 0.3934693402873665],
    [5, 1, 0.003659846827343713],
    [5, 0.094, 5.6555722739364e-8],
    [10, 2.5, 0.0002773520946208362],
    [3, 10, 0.9972306042844884],
    [0, 3, 1],
    [50, 1, 1.2337508979097585e-65],
    [150, 1, 6.481830476248711e-264], // 150! alone overflows a double
    [60, 0.031, 3.534145399911e-173],
    [120, 100, 0.02823039396486565],
    [1100, 1000, 0.0009626304058665587],
    [30000, 29000, 2.657457375276659e-9],
    [200, 0.031, 0], // below the smallest double: 0, not NaN
  ])('k=%d, λ=%d → %d', (k, mean, want) => expect(close(poissonTail(k, mean), want, 1e-8)).toBe(true))

  it('is 0 above zero posts when nothing is expected, 1 for k ≤ 0', () => {
    expect(poissonTail(1, 0)).toBe(0)
    expect(poissonTail(0, 0)).toBe(1)
  })
})

describe('negativeBinomialTail P(X ≥ k)', () => {
  it.each([
    [5, 2, 1, 0.017832647462277102],
    [10, 0.5, 1.5, 0.017806558607844636],
    [3, 1, 2, 0.2962962962962963], // geometric: (μ / (1 + μ))^k = (2/3)^3
    [8, 7.2, 0.39, 1.2804383993117908e-7],
    [40, 3, 2, 3.87098047440605e-14],
    [1, 1e6, 2, 0.8646644460965619], // a huge size is Poisson: 1 − e^−2
    [500, 50, 400, 0.05589602764933584],
  ])('k=%d, r=%d, μ=%d → %d', (k, size, mean, want) => expect(close(negativeBinomialTail(k, size, mean), want, 1e-8)).toBe(true))

  it('has a heavier tail than the Poisson with the same mean', () => {
    expect(negativeBinomialTail(10, 2, 2)).toBeGreaterThan(poissonTail(10, 2))
  })
})

describe('betaI', () => {
  it.each([
    [0.5, 2, 2, 0.5],
    [0.3, 1, 1, 0.3],
    [0, 3, 4, 0],
    [1, 3, 4, 1],
  ])('I_%d(%d, %d) = %d', (x, a, b, want) => expect(betaI(x, a, b)).toBeCloseTo(want, 12))
})

describe('fitBaseline', () => {
  const hour = (count: number) => ({ count, spanMs: H })
  it.each([
    // weekly counts in a one-hour slot, window, method, expected count
    [[4, 4, 4, 4], 15, 'poisson', (16.5 / 4) * 0.25],
    [[3, 5, 4, 4], 15, 'poisson', (16.5 / 4) * 0.25], // variance 0.67 < mean 4
    [[0, 10, 2, 12], 15, 'negative-binomial', (24.5 / 4) * 0.25],
    [[0, 0, 0, 0], 15, 'poisson', (0.5 / 4) * 0.25], // Jeffreys' half count: never exactly 0
    [[6], 60, 'poisson', 6.5],
  ] as const)('%j over %d min → %s', (counts, minutes, method, expected) => {
    const fit = fitBaseline(counts.map(hour), minutes * 60_000)!
    expect(fit.method).toBe(method)
    expect(fit.expected).toBeCloseTo(expected, 10)
    expect(fit.weeks).toBe(counts.length)
  })

  it('fits the size by the method of moments: r = mean² / (variance − mean)', () => {
    const fit = fitBaseline([0, 10, 2, 12].map(hour), 900_000)!
    // mean 6, sample variance (36 + 16 + 16 + 36) / 3 = 34.67
    expect(fit.variance).toBeCloseTo(104 / 3, 10)
    expect(fit.size).toBeCloseTo(36 / (104 / 3 - 6), 10)
  })

  it('needs at least one week', () => expect(fitBaseline([], 900_000)).toBeNull())

  it('uses the slot lengths: a two-hour slot halves the rate', () => {
    expect(fitBaseline([{ count: 8, spanMs: 2 * H }], H)!.expected).toBeCloseTo(8.5 / 2, 10)
  })
})

describe('decide', () => {
  const fit = fitBaseline([1, 0, 1, 0].map((count) => ({ count, spanMs: H })), 900_000)
  it.each([
    [8, 5, 'fired'],
    [4, 5, 'below-min'], // surprising, but too few posts to call anyone
    [1, 1, 'normal'],
  ] as const)('%d posts, --min %d → %s', (count, min, status) => expect(decide(count, fit, { p: 0.001, min }).status).toBe(status))
  it('cannot fire without a baseline', () => expect(decide(50, null, { p: 0.001, min: 5 })).toEqual({ status: 'no-baseline', p: null }))
})

describe('baseline slots', () => {
  it('takes the local hours the window touches, the same wall time 1…n weeks back across a DST change', () => {
    // Mon 2026-11-02 10:05 CET; the window 09:50–10:05 touches the local hours 9 and 10.
    const until = Date.parse('2026-11-02T09:05:00Z')
    const spans = baselineSpans({ from: until - 15 * 60_000, until }, 2, 'Europe/Berlin')
    expect(spans.map((s) => [formatLocal(s.from, 'Europe/Berlin'), formatLocal(s.until, 'Europe/Berlin')])).toEqual([
      ['2026-10-26T09:00:00+01:00', '2026-10-26T11:00:00+01:00'],
      ['2026-10-19T09:00:00+02:00', '2026-10-19T11:00:00+02:00'], // summer time: still 09:00 local
    ])
  })

  it.each([
    ['2026-11-02T09:05:00Z', 'Europe/Berlin', '2026-11-02T09:00:00.000Z'],
    ['2026-11-02T09:05:00Z', 'Asia/Kolkata', '2026-11-02T08:30:00.000Z'], // +05:30
    ['2026-11-02T09:05:00Z', 'Asia/Kathmandu', '2026-11-02T08:15:00.000Z'], // +05:45
  ])('hour start of %s in %s is %s', (t, tz, want) => expect(new Date(localHourStart(Date.parse(t), tz)).toISOString()).toBe(want))
})

describe('pickExamples', () => {
  const m = (source: string, author: string, i: number) => ({ source, author, createdAt: 1000 - i, text: `post ${i}`, url: null })
  it('spreads over platforms and authors before repeating', () => {
    const posts = [m('x', 'a', 1), m('x', 'a', 2), m('x', 'b', 3), m('mastodon', 'a', 4), m('reddit', 'c', 5)]
    expect(pickExamples(posts).map((p) => p.text)).toEqual(['post 1', 'post 5', 'post 3'])
  })
  it('repeats when there is nothing else', () => expect(pickExamples([m('x', 'a', 1), m('x', 'a', 2)])).toHaveLength(2))
})

describe('platformAgreement', () => {
  it.each([
    [{ x: 12 }, 1, true],
    [{ x: 9, mastodon: 3 }, 2, false],
    [{}, 0, false],
  ])('%j → %d platforms, single %s', (bySource, platforms, single) => expect(platformAgreement(bySource)).toEqual({ platforms, singlePlatform: single }))
})

describe('formatP', () => {
  it.each([
    [0.01234, '0.0123'],
    [3.4e-9, '3.4e-9'],
    [0, '< 1e-300'],
    [null, '–'],
  ])('%d → %s', (p, s) => expect(formatP(p)).toBe(s))
})

describe('renderSlackMessage', () => {
  const alert: AlertMessage = {
    brand: 'Nordwind <Mobile> & Co',
    kind: 'outage',
    count: 13,
    expected: 0.094,
    p: 6.4e-24,
    method: 'poisson',
    windowMs: 900_000,
    from: '2026-11-10T18:40:00.000Z',
    until: '2026-11-10T18:55:00.000Z',
    bySource: { x: 4, mastodon: 9 },
    singlePlatform: false,
    authors: 13,
    terms: ['netz', 'störung'],
    examples: [{ source: 'x', createdAt: 0, author: 'rosa', text: 'Kein Netz <Hamburg>', url: 'https://x.com/i/status/1' }],
    warnings: ['The window has fetch holes: the real count may be higher.'],
  }

  it('has a text and blocks, escapes mrkdwn and links the examples', () => {
    const msg = JSON.parse(renderSlackMessage([alert], 'Europe/Berlin', formatLocal)) as { text: string; blocks: Array<{ type: string; text?: { text: string } }> }
    expect(msg.text).toBe('listen: Outage: Nordwind <Mobile> & Co — 13 outage posts in 15 min (expected 0.1, p = 6.4e-24, Poisson)')
    expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'divider'])
    expect(msg.blocks[1]!.text!.text).toContain('*Platforms:* mastodon 9, x 4')
    expect(msg.blocks[1]!.text!.text).toContain('*Top terms:* netz, störung')
    expect(msg.blocks[2]!.text!.text).toBe('>Kein Netz &lt;Hamburg&gt;\n— <https://x.com/i/status/1|rosa> on x')
  })

  it('says "one platform only" and marks delayed alerts', () => {
    const msg = JSON.parse(renderSlackMessage([{ ...alert, singlePlatform: true, delayed: true }, alert], 'UTC', formatLocal)) as { text: string; blocks: Array<{ type: string; text?: { text: string } }> }
    expect(msg.text).toMatch(/^listen: 2 alerts — Outage Nordwind <Mobile> & Co \(13\), /)
    expect(msg.blocks[0]!.text!.text).toBe('(delayed) Outage: Nordwind <Mobile> & Co')
    expect(msg.blocks[1]!.text!.text).toContain('one platform only: may be a raid')
  })
})
