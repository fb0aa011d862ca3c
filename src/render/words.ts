// Figures in words: minutes, percentages, probabilities, windows and the completeness line.
import { round } from '../lib/number.js'
import type { Completeness } from '../models/completeness.js'

const DAY_MIN = 1440
const YEAR_DAYS = 365.2425

/** A duration as people say it: 14.2 min, 8.6 h, 12.5 d, 3.4 months, 6.2 years. */
export function formatMinutes(min: number | null): string {
  if (min === null) return '–'
  if (min < 60) return `${round(min, 1)} min`
  if (min < 48 * 60) return `${round(min / 60, 1)} h`
  const days = min / DAY_MIN
  if (days < 60) return `${round(days, 1)} d`
  if (days < 2 * YEAR_DAYS) return `${round(days / (YEAR_DAYS / 12), 1)} months`
  return `${round(days / YEAR_DAYS, 1)} years`
}

export function pct(x: number): string {
  return `${round(x * 100, 1)} %`
}

/** A probability as people read it: 0.0012, 3.4e-9, or "< 1e-300" when it underflows. */
export function formatP(p: number | null): string {
  if (p === null) return '–'
  if (p === 0) return '< 1e-300'
  if (p >= 0.001) return String(Math.round(p * 10_000) / 10_000)
  return p.toExponential(1)
}

export function formatWindow(ms: number): string {
  const min = ms / 60_000
  return min >= 60 && min % 60 === 0 ? `${min / 60} h` : `${Math.round(min * 10) / 10} min`
}

/** The note line every report prints under its table. */
export function completenessLine(c: Completeness): string {
  if (!c.sources.length) return 'Completeness: no sources in this window.'
  if (c.complete === null) return `Completeness: ${c.sources.map((s) => s.source).join(', ')} imported, completeness unknown.`
  return `Completeness: ${c.complete ? 'complete' : 'INCOMPLETE'} — ${c.notes.join('; ')}`
}
