// What a query covers: the window, sources, brands, labels, and who counts as the brand.
/** Who counts as the brand: by_brand rows always; plus handles (matched case-insensitively, without "@") per source or for every source. */
export interface BrandMatcher {
  /** Lower-case handles without "@", per source. */
  bySource: ReadonlyMap<string, readonly string[]>
  /** Lower-case handles for every source (--handles). */
  anySource: readonly string[]
  /** Authors whose id is not all digits are brands (Twitter Customer Support dataset convention). */
  nonNumeric: boolean
}

export const NO_HANDLES: BrandMatcher = { bySource: new Map(), anySource: [], nonNumeric: false }

export interface AuditScope {
  from: number
  until: number
  sources?: readonly string[] | undefined
  brands?: readonly string[] | undefined
  labels: readonly string[]
  includeUntagged: boolean
  brand: BrandMatcher
}

export interface SummaryScope {
  from: number
  until: number
  sources?: readonly string[] | undefined
  brands?: readonly string[] | undefined
  brand: BrandMatcher
}

/** A window that held no mentions at all: what the database holds instead (null: nothing yet), so the user can be pointed at it. */
export interface EmptyWindow {
  stored: { first: string; last: string; mentions: number } | null
}
