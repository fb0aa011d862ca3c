// Outage and storm detection, pure: the hour-of-week baseline, Poisson and negative-binomial
// tails, the decision, the example posts and the Slack message. SQL lives in src/store/alerts.ts.
import { createHash } from 'node:crypto'
import type { AlertKind, AlertStatus, ExampleMention, Span, TailMethod } from '../models/alerts.js'
import { addLocalDays, offsetAt } from '../time/zone.js'
const H = 3_600_000

// ---------------------------------------------------------------------------------------------
// Tails. Everything in log space until the end, so no factorial or power overflows; the series /
// continued-fraction split is the one of Numerical Recipes (3rd ed., §6.2 and §6.4), which keeps
// the small tail (the one an alert is decided on) accurate instead of computing it as 1 − (≈1).

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let a = LANCZOS[0]!
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

const EPS = 1e-15
const TINY = 1e-300
const MAX_ITER = 100_000

/** ln of the lower regularized gamma P(a, x) by its series (converges fast for x < a + 1). */
function logGammaSeries(a: number, x: number): number {
  let ap = a
  let del = 1 / a
  let sum = del
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1
    del *= x / ap
    sum += del
    if (Math.abs(del) < Math.abs(sum) * EPS) break
  }
  return Math.log(sum) - x + a * Math.log(x) - logGamma(a)
}

/** ln of the upper regularized gamma Q(a, x) by its continued fraction (for x ≥ a + 1), modified Lentz. */
function logGammaFraction(a: number, x: number): number {
  let b = x + 1 - a
  let c = 1 / TINY
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < TINY) d = TINY
    c = b + an / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return Math.log(h) - x + a * Math.log(x) - logGamma(a)
}

/** Lower regularized incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0
  return x < a + 1 ? Math.exp(logGammaSeries(a, x)) : 1 - Math.exp(logGammaFraction(a, x))
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return h
}

/**
 * Regularized incomplete beta I_x(a, b). `y` = 1 − x, passed separately so a probability close to
 * 1 loses no digits to the subtraction.
 */
export function betaI(x: number, a: number, b: number, y = 1 - x): number {
  if (x <= 0) return 0
  if (y <= 0) return 1
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y)
  if (x < (a + 1) / (a + b + 2)) return Math.exp(logFront + Math.log(betaFraction(x, a, b)) - Math.log(a))
  return 1 - Math.exp(logFront + Math.log(betaFraction(y, b, a)) - Math.log(b))
}

/** P(X ≥ k) for X ~ Poisson(mean) = P(k, mean). */
export function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1
  if (mean <= 0) return 0
  return gammaP(k, mean)
}

/**
 * P(X ≥ k) for X ~ negative binomial with `size` r and mean μ (the Gamma–Poisson mixture, variance
 * μ + μ²/r). With p = r / (r + μ): P(X ≥ k) = I_{1−p}(k, r).
 */
export function negativeBinomialTail(k: number, size: number, mean: number): number {
  if (k <= 0) return 1
  if (mean <= 0) return 0
  return betaI(mean / (size + mean), k, size, size / (size + mean))
}

// ---------------------------------------------------------------------------------------------
// Baseline: the same hour(s) of the week in each of the previous weeks.

/** Start of the local hour containing `t`: exact for zones with half- and quarter-hour offsets. */
export function localHourStart(t: number, tz: string): number {
  const local = t + offsetAt(t, tz)
  return t - (((local % H) + H) % H)
}

/**
 * The local hours the window [from, until) touches, on the same weekday and wall time 1…`weeks`
 * weeks before (calendar days, so a DST change in between keeps the wall time).
 */
export function baselineSpans(window: Span, weeks: number, tz: string): Span[] {
  const from = localHourStart(window.from, tz)
  const until = localHourStart(window.until - 1, tz) + H
  return Array.from({ length: weeks }, (_, i) => ({ from: addLocalDays(from, -7 * (i + 1), tz), until: addLocalDays(until, -7 * (i + 1), tz) }))
}

export interface BaselineFit {
  method: TailMethod
  /** Expected count in the window. */
  expected: number
  /** Weeks the fit used. */
  weeks: number
  /** Mean and sample variance of the weekly slot counts (variance null with one week). */
  mean: number
  variance: number | null
  /** Negative-binomial size r (method of moments); null for Poisson. */
  size: number | null
}

/**
 * Expected count for a window of `windowMs` from weekly slot counts: the mean rate × the window.
 * Half a count is added to the total (Jeffreys' prior for a Poisson rate), so a slot that was empty
 * four weeks running gives a small rate instead of zero, which would make any post infinitely
 * surprising. Overdispersed weeks (sample variance > mean) get a negative binomial whose size is
 * fitted by the method of moments, r = mean² ÷ (variance − mean); the week-to-week spread of the
 * rate carries over to a shorter window unchanged, so only the mean is scaled.
 */
export function fitBaseline(samples: ReadonlyArray<{ count: number; spanMs: number }>, windowMs: number): BaselineFit | null {
  const k = samples.length
  if (!k) return null
  const total = samples.reduce((s, x) => s + x.count, 0)
  const span = samples.reduce((s, x) => s + x.spanMs, 0)
  const expected = ((total + 0.5) / span) * windowMs
  const mean = total / k
  const variance = k >= 2 ? samples.reduce((s, x) => s + (x.count - mean) ** 2, 0) / (k - 1) : null
  if (variance !== null && variance > mean && mean > 0) {
    return { method: 'negative-binomial', expected, weeks: k, mean, variance, size: (mean * mean) / (variance - mean) }
  }
  return { method: 'poisson', expected, weeks: k, mean, variance, size: null }
}

export function tailProbability(count: number, fit: BaselineFit): number {
  return fit.method === 'negative-binomial' && fit.size !== null ? negativeBinomialTail(count, fit.size, fit.expected) : poissonTail(count, fit.expected)
}

// ---------------------------------------------------------------------------------------------
// The decision and what an alert says.

export interface Thresholds {
  /** Fire below this tail probability. */
  p: number
  /** … and at or above this count. */
  min: number
}

/** The status before the cooldown is consulted ('fired' = above threshold). */
export function decide(count: number, fit: BaselineFit | null, t: Thresholds): { status: Exclude<AlertStatus, 'cooldown'>; p: number | null } {
  if (!fit) return { status: 'no-baseline', p: null }
  const p = tailProbability(count, fit)
  if (count < t.min) return { status: 'below-min', p }
  return { status: p < t.p ? 'fired' : 'normal', p }
}

/** `n` examples, newest first, spread over platforms and authors before repeating either. */
export function pickExamples<T extends ExampleMention>(newestFirst: readonly T[], n = 3): T[] {
  const out: T[] = []
  const seenSources = new Set<string>()
  const seenAuthors = new Set<string>()
  const take = (ok: (m: T) => boolean) => {
    for (const m of newestFirst) {
      if (out.length >= n) return
      if (out.includes(m) || !ok(m)) continue
      out.push(m)
      seenSources.add(m.source)
      if (m.author) seenAuthors.add(m.author.toLowerCase())
    }
  }
  const newAuthor = (m: T) => !m.author || !seenAuthors.has(m.author.toLowerCase())
  take((m) => !seenSources.has(m.source) && newAuthor(m))
  take(newAuthor)
  take(() => true)
  return out
}

export function platformAgreement(bySource: Readonly<Record<string, number>>): { platforms: number; singlePlatform: boolean } {
  const platforms = Object.values(bySource).filter((n) => n > 0).length
  return { platforms, singlePlatform: platforms === 1 }
}

/** An alert's idempotency key: the same for every post of it, in every run (brand, kind and the instant it fired). */
export function alertKey(brand: string, kind: AlertKind, firedAt: number, topic?: string): string {
  return createHash('sha256').update(`${brand}\u0000${kind}\u0000${firedAt}${topic ? `\u0000${topic}` : ''}`).digest('hex').slice(0, 32)
}

/** The key of one message: its alert's key, or one made from all of them. */
export function messageKey(keys: readonly string[]): string {
  return keys.length === 1 ? keys[0]! : createHash('sha256').update([...keys].sort().join(',')).digest('hex').slice(0, 32)
}
