import type { Command } from 'commander'
import type { MentionsOptions } from '../../commands/mentions.js'
import { UsageError } from '../../models/errors.js'
import { parseBackFlag, parseInstantFlag, parseUntilFlag, type WindowFlags } from '../../time/window.js'
import { limitFlag, splitList } from '../flags.js'
import { parseLabelKeys } from '../../report/staffing.js'
import { addOutputOptions, addWindowOptions, collect, type Kit } from '../kit.js'

export interface MentionsFlags extends WindowFlags {
  source?: string[] | undefined
  brand?: string[] | undefined
  label?: string[] | undefined
  search?: string | undefined
  limit?: string | number | undefined
  flag?: string[] | undefined
  topic?: string[] | undefined
}

const FLAGS = ['pii'] as const

function parseFlagFilter(values: string[] | undefined): { pii?: boolean } {
  const out: { pii?: boolean } = {}
  for (const v of splitList(values) ?? []) {
    if (!(FLAGS as readonly string[]).includes(v)) throw new UsageError(`--flag: unknown flag ${JSON.stringify(v)}; expected one of ${FLAGS.join(', ')}`)
    out.pii = true
  }
  return out
}

/** No window by default: every stored mention, newest first. */
export function parseMentionsFlags(f: MentionsFlags, ctx: { timezone: string; now: number }): MentionsOptions {
  if (f.since && f.from) throw new UsageError('--since cannot be combined with --from')
  const until = f.until ? parseUntilFlag(f.until, ctx.timezone, ctx.now) : undefined
  return {
    filter: {
      from: f.from ? parseInstantFlag(f.from, '--from', ctx.timezone) : f.since ? parseBackFlag(f.since, '--since', ctx.timezone, until ?? ctx.now) : undefined,
      until,
      sources: splitList(f.source),
      brands: splitList(f.brand),
      labels: parseLabelKeys(f.label, '--label'),
      topics: splitList(f.topic)?.map((t) => t.trim().toLowerCase()),
      search: f.search,
      ...parseFlagFilter(f.flag),
    },
    limit: limitFlag(f.limit, 100),
  }
}

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    addWindowOptions(
      program
        .command('mentions')
        .description('list stored mentions, newest first')
        .option('--source <name>', 'only this source (repeatable or comma-separated)', collect)
        .option('--brand <name>', 'only this brand (repeatable or comma-separated)', collect)
        .option('--label <label>', 'only this label: outage, complaint, question, praise, other, untagged (repeatable or comma-separated)', collect)
        .option('--topic <name>', 'only this topic of the taxonomy (billing, delivery, technical, account, product, service, other by default) or untagged (repeatable or comma-separated)', collect)
        .option('--search <text>', 'only mentions whose text contains this (case-insensitive)')
        .option('--limit <n>', 'at most n mentions, 0 = all (default 100)')
        .option('--flag <flag>', 'only mentions with this flag: pii (personal data in the text)', collect),
      null,
    ),
  )
    .addHelpText('after', '\nExample:\n  $ listen mentions --since 7d --label outage --format csv --bom > outages.csv\n  $ listen mentions --since 24h --flag pii\n  $ listen mentions --since 24h --label complaint --topic billing')
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runMentions } = await import('../../commands/mentions.js')
      print(await runMentions(parseMentionsFlags(this.opts(), ctx), ctx))
    })
}
