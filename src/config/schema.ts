// The shape of listen.config.json, validated with zod so an error names the key path.
import { z } from 'zod'
import { LABELS } from '../models/mention.js'
import { parseDuration } from '../time/parse.js'

const ianaZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz })
      return true
    } catch {
      return false
    }
  },
  { message: 'expected an IANA time zone such as Europe/Berlin or UTC' },
)

const duration = z.string().refine((s) => (parseDuration(s) ?? 0) > 0, {
  message: 'expected a duration such as 6m, 90s or 1h',
})

const handle = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])

export const brandSchema = z.strictObject({
  name: z.string().min(1),
  query: z.string().min(1),
  languages: z.array(z.string().regex(/^[a-z]{2,3}$/, 'expected a language code such as en or de')).optional(),
  handles: z.record(z.string(), handle).optional(),
})

export const sourceSchema = z.looseObject({
  enabled: z.boolean().optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
})

export const staffingSchema = z.strictObject({
  aht: duration.optional(),
  target: duration.optional(),
  serviceLevel: z.number().gt(0).lt(1).optional(),
  shrinkage: z.number().min(0).lt(1).optional(),
  maxOccupancy: z.number().gt(0).max(1).optional(),
  labels: z.array(z.enum(LABELS)).min(1).optional(),
})

const replyPhrases = z.array(z.string().trim().min(1)).optional()
/** Extra phrases for listen train --from-replies (classify/replies.ts), per language and class. */
const replyPatternsSchema = z.strictObject({
  en: z.strictObject({ outage: replyPhrases, complaint: replyPhrases, question: replyPhrases, praise: replyPhrases }).optional(),
  de: z.strictObject({ outage: replyPhrases, complaint: replyPhrases, question: replyPhrases, praise: replyPhrases }).optional(),
})

const quarterHour = z.string().regex(/^(?:[01]\d|2[0-3]):(?:00|15|30|45)$|^24:00$/, 'expected a local time on a quarter hour, HH:MM such as 06:00 or 22:30')
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])

/** A care shift: posts arriving between from and to (local time) on these days belong to it; to < from runs past midnight. */
export const shiftSchema = z.strictObject({
  name: z.string().min(1),
  days: z.array(weekday).min(1).optional(),
  from: quarterHour,
  to: quarterHour,
})

/** A reply-signature pattern: a regex with one capturing group for the agent (checked by care/signatures.ts createSignatureParser). */
export const signatureSchema = z.strictObject({
  pattern: z.string().min(1),
  flags: z.string().regex(/^[imsu]*$/, 'expected regex flags out of i, m, s, u').optional(),
})

const slaDuration = z.string().refine((s) => (parseDuration(s) ?? 0) > 0, { message: 'expected a duration such as 60m or 4h' })
/** Time to the first answer per label (listen queue); each defaults to 60m. */
export const slaSchema = z.strictObject({
  outage: slaDuration.optional(),
  complaint: slaDuration.optional(),
  question: slaDuration.optional(),
  untagged: slaDuration.optional(),
})

/** Personal-data detection at ingest (src/care/pii.ts): phone regions and extra reference-number patterns. */
export const piiSchema = z.strictObject({
  region: z.string().regex(/^[A-Za-z]{2}$/, 'expected a region code such as DE').optional(),
  regions: z.array(z.string().regex(/^[A-Za-z]{2}$/, 'expected a region code such as AT')).optional(),
  patterns: z.array(z.strictObject({ kind: z.enum(['order', 'customer', 'ticket']), pattern: z.string().min(1), flags: z.string().optional() })).optional(),
})
const perLang = z
  .strictObject({ en: z.array(z.string().trim().min(1)).optional(), de: z.array(z.string().trim().min(1)).optional() })
  .optional()
  .transform((v) => ({ en: v?.en ?? [], de: v?.de ?? [] }))

/** One topic: keywords and example posts per language (en, de); "other" is the fallback topic. */
export const topicSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'expected a short lower-case name such as billing or delivery'),
  keywords: perLang,
  examples: perLang,
})

export const topicsSchema = z
  .array(topicSchema)
  .min(1)
  .refine((l) => new Set(l.map((t) => t.name)).size === l.length, { message: 'topic names must be unique' })

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  database: z.string().min(1).optional(),
  /** For a postgres:// database: the environment variable that holds its password (never the password itself). */
  databasePasswordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional(),
  /** For a postgres:// database: how long to keep trying through a server restart mid-command (default 30s; "0s" = fail at once). */
  databaseReconnect: z.string().refine((s) => parseDuration(s) !== null, { message: 'expected a duration such as 30s or 2m (0s = fail at once)' }).optional(),
  timezone: ianaZone.optional(),
  brands: z.array(brandSchema).default([]),
  sources: z.record(z.string(), sourceSchema).default({}),
  staffing: staffingSchema.optional(),
  replyPatterns: replyPatternsSchema.optional(),
  /** listen label --next on a terminal: rebuild the model after this many answers (0 = never). */
  labelling: z.strictObject({ retrainEvery: z.number().int().min(0).optional() }).optional(),
  signatures: z.array(signatureSchema).optional(),
  shifts: z.array(shiftSchema).optional(),
  sla: slaSchema.optional(),
  pii: piiSchema.optional(),
  /** The topic taxonomy; replaces the built-in one (data/topics/default.json). */
  topics: topicsSchema.optional(),
})

export type ConfigFile = z.infer<typeof configSchema>
