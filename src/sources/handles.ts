// The brand's own accounts per platform, as written in the config (brands[].handles).
import type { Brand } from '../models/mention.js'

/** Handles on `platform` without a leading "@", original case. */
export function handlesOf(brand: Brand, platform: string): string[] {
  const h = brand.handles?.[platform]
  return (h === undefined ? [] : Array.isArray(h) ? h : [h]).map((x) => x.trim().replace(/^@/, '')).filter(Boolean)
}

/** The same, lower-cased, for case-insensitive matching. */
export function lowerHandlesOf(brand: Brand, platform: string): string[] {
  return handlesOf(brand, platform).map((h) => h.toLowerCase())
}
