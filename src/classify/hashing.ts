// The hashing trick for the linear model (linear.ts): strings → bucket indices with a fixed seed,
// so a stored model's weights mean the same features in every process. 32-bit FNV-1a over UTF-16
// code units, finished with murmur3's fmix32 because FNV's low bits (the ones a power-of-two mask
// keeps) mix poorly on short strings. Pure; no allocation.

export const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/** One FNV-1a step: `h` after one more code unit `c`. */
export const fnvStep = (h: number, c: number): number => Math.imul(h ^ c, FNV_PRIME)

/** murmur3's 32-bit finaliser: every input bit flips each output bit with probability ½. */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** FNV-1a of `s` started from `seed` (FNV_OFFSET by default), finished by fmix32; unsigned 32 bits. */
export function hashString(s: string, seed: number = FNV_OFFSET): number {
  let h = seed
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i))
  return fmix32(h)
}

/** An order-sensitive hash of two hashes (word bigrams from their unigrams' hashes). */
export function hashPair(a: number, b: number): number {
  return fmix32(Math.imul(a, 0x9e3779b1) ^ (b + 0x7f4a7c15))
}
