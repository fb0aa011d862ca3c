// Personal data on ingest: import (in its reader thread), fetch and classify record the kinds of
// personal data each mention holds (src/care/pii.ts), never the values.
import { createPiiDetector, type PiiDetector, type PiiDetectorOptions, piiKinds } from '../care/pii.js'
import type { MentionInput } from '../models/mention.js'

/** The stored form: comma-joined kinds, '' when the text holds none. */
export function piiColumn(text: string, detector: PiiDetector): string {
  return piiKinds(text, detector).join(',')
}

/** Sets `pii` on each mention it is given. Bad config patterns throw here, once, as a UsageError. */
export function piiWith(options: PiiDetectorOptions): (m: MentionInput) => void {
  const detector = createPiiDetector(options)
  return (m) => {
    m.pii = piiColumn(m.text, detector)
  }
}
