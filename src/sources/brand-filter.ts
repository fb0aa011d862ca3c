// Which fetched mentions belong to the brand: its query, checked here where the platform could not
// search with it (Page.brandFilter), and its languages (the platform's language field, else a clear
// function-word vote). The brand's own posts are always kept: the audit needs every reply.
import { clearLang, normalizeLangTag } from '../classify/lang.js'
import { scanWords } from '../classify/scan.js'
import type { Brand, Mention } from '../models/mention.js'
import { type BrandQuery, excludedByBrandQuery, matchesBrandQuery, parseBrandQuery } from './brand-query.js'
import type { Page } from './types.js'

/** query: the brand query does not match; excluded: one of its exclusions does; language: another language. */
export type DropReason = 'query' | 'excluded' | 'language'

export interface BrandFilter {
  query: BrandQuery
  /** ISO 639-1 codes, or null for any language. */
  languages: ReadonlySet<string> | null
}

export function brandFilterOf(brand: Brand, query: BrandQuery = parseBrandQuery(brand.query)): BrandFilter {
  const langs = (brand.languages ?? []).map((l) => normalizeLangTag(l)).filter((l): l is string => l !== null)
  return { query, languages: langs.length ? new Set(langs) : null }
}

/** Why a mention of a page is not the brand's by its query, or null to keep it. The link counts as text. */
export function queryDropReason(f: BrandFilter, m: Mention, mode: Page['brandFilter']): DropReason | null {
  if (mode === undefined || m.byBrand) return null
  const text = m.url ? `${m.text}\n${m.url}` : m.text
  if (mode === 'exclusions') return excludedByBrandQuery(f.query, text) ? 'excluded' : null
  if (matchesBrandQuery(f.query, text)) return null
  return excludedByBrandQuery(f.query, text) ? 'excluded' : 'query'
}

/**
 * 'language' when the mention is in a language the brand does not ask for, by the platform's field
 * or, without one, by a clear vote of its function words (English or German); unsure is kept.
 */
export function languageDropReason(f: BrandFilter, m: Mention): 'language' | null {
  if (f.languages === null || m.byBrand) return null
  const lang = normalizeLangTag(m.lang) ?? clearLang(scanWords(m.text))
  return lang === null || f.languages.has(lang) ? null : 'language'
}
