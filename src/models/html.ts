// What report --html draws: the by-hour report, the audit and the summary of one window.
import type { AuditModel } from './audit.js'
import type { ByHourReport } from './byhour.js'
import type { VanishedModel } from './care.js'
import type { SummaryModel } from './summary.js'

export interface HtmlModels {
  byHour: ByHourReport
  audit: AuditModel
  summary: SummaryModel
  /** When the report was made (ms), shown in the header. */
  generatedAt: number
  brands: string[]
  /** Complaints and outages that vanished in the window (listen recheck). */
  vanished?: VanishedModel | undefined
  /** Customer posts in the window that show personal data; the listed posts' values are masked. */
  pii?: { flagged: number } | undefined
}
