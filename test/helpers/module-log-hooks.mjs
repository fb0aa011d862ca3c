// Loader hooks for module-log.mjs (they run on Node's hooks thread).
import { appendFileSync } from 'node:fs'

let file = null

export function initialize(data) {
  file = data ?? null
}

export async function load(url, context, next) {
  if (file && !url.startsWith('node:')) appendFileSync(file, `${url}\n`)
  return next(url, context)
}
