// Commands run from flags as the CLI takes them: each through its CLI parser, then the command.
// The commands themselves receive typed options (src/cli/commands/*.ts parse*Flags).
import type { Dispatcher } from 'undici'
import { type AlertsFlags, parseAlertsFlags } from '../../src/cli/commands/alerts.js'
import { type AuditFlags, parseAuditFlags } from '../../src/cli/commands/audit.js'
import { type EvalFlags, parseEvalFlags } from '../../src/cli/commands/eval.js'
import { type FetchFlags, parseFetchFlags } from '../../src/cli/commands/fetch.js'
import { type ImportFlags, parseImportFlags } from '../../src/cli/commands/import.js'
import { parseLabelArgs } from '../../src/cli/commands/label.js'
import { type MentionsFlags, parseMentionsFlags } from '../../src/cli/commands/mentions.js'
import { parseReportFlags, type ReportFlags } from '../../src/cli/commands/report.js'
import { parseTrainFlags, type TrainFlags } from '../../src/cli/commands/train.js'
import { modelChoiceFlag } from '../../src/cli/flags.js'
import * as alerts from '../../src/commands/alerts.js'
import * as audit from '../../src/commands/audit.js'
import * as classify from '../../src/commands/classify.js'
import type { CommandContext } from '../../src/commands/context.js'
import * as evalCmd from '../../src/commands/eval.js'
import * as fetch from '../../src/commands/fetch.js'
import * as html from '../../src/commands/html.js'
import * as importCmd from '../../src/commands/import.js'
import * as label from '../../src/commands/label.js'
import * as mentions from '../../src/commands/mentions.js'
import * as report from '../../src/commands/report.js'
import * as train from '../../src/commands/train.js'
import { UsageError } from '../../src/models/errors.js'

export const runAlerts = async (f: AlertsFlags & { version?: string; dispatcher?: Dispatcher; webhookTimeoutMs?: number }, ctx: CommandContext) =>
  alerts.runAlerts({ ...parseAlertsFlags(f, ctx), version: f.version ?? 'test', dispatcher: f.dispatcher, webhookTimeoutMs: f.webhookTimeoutMs }, ctx)

export const runAudit = async (f: AuditFlags, ctx: CommandContext) => audit.runAudit(parseAuditFlags(f, ctx), ctx)

export const runReport = async (f: ReportFlags, ctx: CommandContext) => report.runReport(parseReportFlags(f, ctx), ctx)
export const runSummary = async (f: ReportFlags, ctx: CommandContext) => report.runSummary(parseReportFlags({ ...f, summary: true }, ctx), ctx)
export const runHtmlReport = async (f: ReportFlags, ctx: CommandContext) => html.runHtmlReport(parseReportFlags(f, ctx), ctx)

export const runMentions = async (f: MentionsFlags, ctx: CommandContext) => mentions.runMentions(parseMentionsFlags(f, ctx), ctx)

export type FetchTestFlags = FetchFlags & { dispatcher?: Dispatcher; isAlive?: (pid: number) => boolean; pid?: number }
export const runFetch = async ({ dispatcher, isAlive, pid, ...f }: FetchTestFlags, ctx: CommandContext) =>
  fetch.runFetch({ ...parseFetchFlags(f), version: 'test', dispatcher, ...(isAlive ? { isAlive } : {}), ...(pid ? { pid } : {}) }, ctx)

export const runImport = async ({ files, batchSize, ...f }: ImportFlags & { files: string[]; batchSize?: number }, ctx: CommandContext) =>
  importCmd.runImport({ ...parseImportFlags(files, f), ...(batchSize ? { batchSize } : {}) }, ctx)

export const runTrain = async ({ files, ...f }: TrainFlags & { files: string[] }, ctx: CommandContext) => train.runTrain(parseTrainFlags(files, f), ctx)
export const runEval = async ({ files, ...f }: EvalFlags & { files: string[] }, ctx: CommandContext) => evalCmd.runEval(parseEvalFlags(files, f, ctx.config.database), ctx)

export const runLabel = async (o: { mention: string; label: string; by?: string }, ctx: CommandContext) =>
  label.runLabel(parseLabelArgs(o.mention, o.label, o, ctx.env), ctx)

export const runClassify = async (f: { all?: boolean; retag?: boolean; batchSize?: number }, ctx: CommandContext) => {
  if (f.all && f.retag) throw new UsageError('classify: --all already includes --retag; pass one of them')
  return classify.runClassify({ scope: f.all ? 'all' : f.retag ? 'model' : 'untagged', ...(f.batchSize ? { batchSize: f.batchSize } : {}) }, ctx)
}
export const runClassifyText = async (f: { text: string; lang?: string; explain?: boolean; model?: string }, ctx: CommandContext) =>
  classify.runClassifyText({ ...f, model: modelChoiceFlag(f.model) }, ctx)
