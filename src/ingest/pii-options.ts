// The config's personal-data section as detector options, apart from the detector (src/care/pii.ts
// loads libphonenumber-js and card-validator: a run that checks nothing need not load them).
import type { PiiDetectorOptions } from '../care/pii.js'
import type { ConfigFile } from '../config/schema.js'

/** The config's `pii` section as detector options (serializable: it crosses into the reader thread). */
export function piiOptionsOf(pii: ConfigFile['pii']): PiiDetectorOptions {
  return {
    ...(pii?.region ? { region: pii.region } : {}),
    ...(pii?.regions ? { regions: pii.regions } : {}),
    ...(pii?.patterns ? { referencePatterns: pii.patterns.map((p) => ({ kind: p.kind, pattern: p.pattern, ...(p.flags ? { flags: p.flags } : {}) })) } : {}),
  }
}

/** Do the options set anything to check (a region, reference patterns)? Without, the detector's defaults apply. */
export function piiConfigured(options: PiiDetectorOptions): boolean {
  return Object.keys(options).length > 0
}
