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
  timezone: ianaZone.optional(),
  brands: z.array(brandSchema).default([]),
  sources: z.record(z.string(), sourceSchema).default({}),
  staffing: staffingSchema.optional(),
  /** The topic taxonomy; replaces the built-in one (data/topics/default.json). */
  topics: topicsSchema.optional(),
})

export type ConfigFile = z.infer<typeof configSchema>
