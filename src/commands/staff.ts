// listen staff: Erlang C for one interval, with the service level at nearby head counts.
import { STAFFING_MODELS } from '../models/byhour.js'
import { UsageError } from '../models/errors.js'
import type { StaffModel, StaffRow } from '../models/staff.js'
import { backlogAgents, erlangPerformance, requiredAgents, scheduledAgents } from '../report/erlang.js'
import { DEFAULT_MAX_OCCUPANCY, DEFAULT_SHRINKAGE, formatDuration, parseDurationValue, parseFraction } from '../report/staffing.js'
import type { CommandContext } from './context.js'

export interface StaffOptions {
  volume?: string | undefined
  interval?: string | undefined
  aht?: string | undefined
  target?: string | undefined
  serviceLevel?: string | undefined
  shrinkage?: string | undefined
  maxOccupancy?: string | undefined
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000

export function runStaff(o: StaffOptions, ctx: Pick<CommandContext, 'config'>): StaffModel {
  const cfg = ctx.config.staffing
  const volumeText = o.volume
  if (volumeText === undefined) throw new UsageError('--volume: how many contacts arrive in the interval, e.g. --volume 100')
  const volume = Number(volumeText)
  if (!Number.isFinite(volume) || volume < 0) throw new UsageError(`--volume: expected a number ≥ 0, got "${volumeText}"`)
  const intervalMs = parseDurationValue(o.interval ?? '1h', '--interval')
  const aht = o.aht ?? cfg?.aht
  const target = o.target ?? cfg?.target
  const level = o.serviceLevel ?? cfg?.serviceLevel
  const missing = [aht === undefined && '--aht', target === undefined && '--target', level === undefined && '--service-level'].filter(Boolean)
  if (missing.length) throw new UsageError(`staff needs ${missing.join(', ')} (flags or the config's "staffing" section)`)
  const ahtMs = parseDurationValue(aht!, '--aht')
  const targetMs = parseDurationValue(target!, '--target')
  const serviceLevel = typeof level === 'number' ? level : parseFraction(level!, '--service-level', { min: 0, max: 1, minOpen: true, maxOpen: true })
  const shrinkage = o.shrinkage !== undefined ? parseFraction(o.shrinkage, '--shrinkage', { min: 0, max: 1, maxOpen: true }) : (cfg?.shrinkage ?? DEFAULT_SHRINKAGE)
  const maxOccupancy =
    o.maxOccupancy !== undefined ? parseFraction(o.maxOccupancy, '--max-occupancy', { min: 0, max: 1, minOpen: true }) : (cfg?.maxOccupancy ?? DEFAULT_MAX_OCCUPANCY)
  const perHour = (volume * 3_600_000) / intervalMs
  const e = requiredAgents({ perHour, ahtMs, targetMs, serviceLevel, maxOccupancy })
  const low = Math.max(1, Math.floor(e.erlangs) + 1, e.agents - 3)
  const table: StaffRow[] = []
  for (let n = low; n <= Math.max(e.agents + 3, low); n++) {
    const p = erlangPerformance(n, { perHour, ahtMs, targetMs })
    table.push({
      agents: n,
      serviceLevel: r4(p.serviceLevel),
      probabilityWait: r4(p.probabilityWait),
      asaSeconds: Number.isFinite(p.asaMs) ? Math.round(p.asaMs / 100) / 10 : null,
      occupancy: r4(p.occupancy),
      meets: p.serviceLevel >= serviceLevel && p.occupancy <= maxOccupancy,
      scheduled: scheduledAgents(n, shrinkage),
      chosen: n === e.agents,
    })
  }
  const scheduled = scheduledAgents(e.agents, shrinkage)
  const backlog = backlogAgents(e.erlangs, maxOccupancy)
  return {
    kind: 'staff',
    input: { volume, interval: formatDuration(intervalMs), perHour: r4(perHour), aht: formatDuration(ahtMs), target: formatDuration(targetMs), serviceLevel, shrinkage, maxOccupancy },
    erlangs: r4(e.erlangs),
    agents: e.agents,
    scheduled,
    backlogAgents: backlog,
    achieved: { serviceLevel: r4(e.serviceLevel), probabilityWait: r4(e.probabilityWait), asaSeconds: Math.round(e.asaMs / 100) / 10, occupancy: r4(e.occupancy) },
    models: STAFFING_MODELS,
    table,
  }
}
