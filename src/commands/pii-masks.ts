// Masks for the personal data of the posts a command lists, worked out from the text (the store
// keeps only the kinds). The detector (libphonenumber-js with its full metadata, card and IBAN
// checks) takes about a tenth of a second to load, so it is loaded only when a post needs it.
import type { PiiFinding } from '../care/pii.js'
import type { ConfigFile } from '../config/schema.js'

export interface PiiMasker {
  findings(text: string): PiiFinding[]
  /** One finding as shown to an agent ("DE89 •••• 3000"). */
  mask(text: string, finding: PiiFinding): string
  /** The text with every finding masked. */
  maskText(text: string, findings: readonly PiiFinding[]): string
}

export async function loadPiiMasker(pii: ConfigFile['pii']): Promise<PiiMasker> {
  const [{ createPiiDetector, detectPii, maskPii, maskPiiInText }, { piiOptionsOf }] = await Promise.all([import('../care/pii.js'), import('../ingest/pii-options.js')])
  const detector = createPiiDetector(piiOptionsOf(pii))
  return { findings: (text) => detectPii(text, detector), mask: maskPii, maskText: maskPiiInText }
}
