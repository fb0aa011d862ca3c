import { describe, expect, it } from 'vitest'
import { runStaff } from '../../src/commands/staff.js'
import type { Config } from '../../src/config/load.js'
import { configSchema } from '../../src/config/schema.js'

const config = (staffing?: Config['staffing']): { config: Config } => ({
  config: { ...configSchema.parse({}), path: null, database: ':memory:', timezone: 'UTC', brands: [], ...(staffing ? { staffing } : {}) },
})

describe('runStaff', () => {
  it('gives the textbook answer with nearby head counts', () => {
    const m = runStaff({ volume: '100', aht: '240s', target: '20s', serviceLevel: '0.8' }, config())
    expect(m).toMatchObject({ kind: 'staff', erlangs: 6.6667, agents: 10, scheduled: 15, backlogAgents: 8 })
    expect(m.achieved.serviceLevel).toBeCloseTo(0.8678, 4)
    expect(m.table.map((r) => [r.agents, r.meets])).toEqual([
      [7, false],
      [8, false],
      [9, false],
      [10, true],
      [11, true],
      [12, true],
      [13, true],
    ])
  })

  it('reads the interval and the config, and flags win', () => {
    const m = runStaff({ volume: '50', interval: '30m', shrinkage: '0' }, config({ aht: '240s', target: '20s', serviceLevel: 0.8, shrinkage: 0.35 }))
    expect(m.input).toMatchObject({ perHour: 100, interval: '30m', shrinkage: 0 })
    expect([m.agents, m.scheduled]).toEqual([10, 10])
  })

  it.each([
    [{}, /--volume: how many contacts/],
    [{ volume: 'many', aht: '4m', target: '20s', serviceLevel: '0.8' }, /--volume: expected a number ≥ 0, got "many"/],
    [{ volume: '10' }, /staff needs --aht, --target, --service-level/],
    [{ volume: '10', aht: '4m', target: '20s', serviceLevel: '0.8', maxOccupancy: '0' }, /--max-occupancy: expected a share > 0 and ≤ 1/],
  ])('rejects %j', async (o, msg) => {
    expect(() => runStaff(o, config())).toThrow(msg)
  })
})
