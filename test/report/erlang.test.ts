import { describe, expect, it } from 'vitest'
import { backlogAgents, erlangB, erlangC, erlangPerformance, requiredAgents, scheduledAgents } from '../../src/report/erlang.js'

const S = 1000
const H = 3_600_000

describe('requiredAgents against published worked examples', () => {
  it.each([
    // [contacts per hour, AHT s, target s, service level, agents, source]
    [100, 240, 20, 0.8, 10, 'textbook: 100 contacts/h, AHT 240 s, 80 % in 20 s'],
    [250, 330, 30, 0.8, 28, 'jonesthenet.com "Erlang uplift": 250 calls/h, AHT 330 s, 80/30 → 28 advisors'],
    [200, 180, 20, 0.8, 14, 'Call Centre Helper "Erlang C made simple": 100 calls/30 min, AHT 180 s, 80/20 → 14'],
    [30, 300, 0, 0.9, 6, 'Wolfram ErlangC docs: 30 calls/h, 5 min, 90 % not delayed → 6 employees'],
  ])('%d/h, AHT %d s, %d s, %d → %d agents (%s)', (perHour, aht, target, level, agents) => {
    expect(requiredAgents({ perHour, ahtMs: aht * S, targetMs: target * S, serviceLevel: level, maxOccupancy: 1 }).agents).toBe(agents)
  })

  it.each([
    // Westbay Traffic Calculators, "The Erlang-C formula" step by step: 360 calls per half hour,
    // 4 min, 55 agents, 15 s target → P(wait) 0.2387, ASA 8.2 s, 84.6 % within 15 s.
    [720, 240, 15, 55, 0.2387, 4, 8.18, 0.8459],
    // Mathematics Stack Exchange, "probability of joining a queue via the Erlang C curve":
    // 120 customers/h, 3 min, 10 servers → "the probability of waiting is about 0.10".
    [120, 180, 0, 10, 0.1, 2, null, null],
  ])('%d/h, AHT %d s, target %d s, %d agents → P(wait) %d', (perHour, aht, target, n, pw, digits, asa, sl) => {
    const r = erlangPerformance(n, { perHour, ahtMs: aht * S, targetMs: target * S })
    expect(r.probabilityWait).toBeCloseTo(pw, digits)
    if (asa !== null) expect(r.asaMs / S).toBeCloseTo(asa, 1)
    if (sl !== null) expect(r.serviceLevel).toBeCloseTo(sl, 4)
  })
})

describe('Erlang formulas', () => {
  it.each([
    // Erlang B loss tables: 5 trunks at 2 E → 3.67 %, 14 at 10 E → 5.68 %, 10 at 5 E → 1.84 %.
    [5, 2, 0.0367],
    [14, 10, 0.0568],
    [10, 5, 0.0184],
    [1, 1, 0.5],
  ])('erlangB(%d trunks, %d E) = %d', (n, a, b) => expect(erlangB(n, a)).toBeCloseTo(b, 4))

  it.each([
    [5000, 4900],
    [20000, 19800],
  ])('stays finite for %d agents and %d erlangs (no factorials)', (n, a) => {
    const c = erlangC(n, a)
    expect(Number.isFinite(c)).toBe(true)
    expect(c).toBeGreaterThan(0)
    expect(c).toBeLessThan(1)
  })

  it('needs more than the load when the queue must stay finite, and 1 when n ≤ A', () => {
    expect(erlangC(5, 5)).toBe(1)
    expect(erlangC(3, 0)).toBe(0)
  })

  it('finds agents for a large contact centre quickly and exactly at the boundary', () => {
    const r = requiredAgents({ perHour: 60_000, ahtMs: 300 * S, targetMs: 20 * S, serviceLevel: 0.8, maxOccupancy: 1 })
    expect(r.erlangs).toBe(5000)
    expect(r.serviceLevel).toBeGreaterThanOrEqual(0.8)
    expect(erlangPerformance(r.agents - 1, { perHour: 60_000, ahtMs: 300 * S, targetMs: 20 * S }).serviceLevel).toBeLessThan(0.8)
  })

  it.each([
    [0.85, 10],
    [0.6, 12],
  ])('caps occupancy at %d → %d agents for 100/h × 240 s', (cap, agents) => {
    expect(requiredAgents({ perHour: 100, ahtMs: 240 * S, targetMs: 20 * S, serviceLevel: 0.8, maxOccupancy: cap }).agents).toBe(agents)
  })

  it('needs no agents without contacts', () => {
    expect(requiredAgents({ perHour: 0, ahtMs: H, targetMs: H, serviceLevel: 0.8, maxOccupancy: 0.85 }).agents).toBe(0)
  })

  it.each([
    [10, 0.3, 15],
    [7, 0.3, 10],
    [0, 0.3, 0],
    [14, 0.3, 20],
  ])('scheduledAgents(%d, shrinkage %d) = %d', (n, s, out) => expect(scheduledAgents(n, s)).toBe(out))

  it.each([
    [6.67, 0.85, 8],
    [1.7, 0.85, 2],
    [0, 0.85, 0],
  ])('backlogAgents(%d erlangs, occupancy %d) = %d', (a, o, out) => expect(backlogAgents(a, o)).toBe(out))

  it('rejects impossible input', () => {
    expect(() => requiredAgents({ perHour: 10, ahtMs: 0, targetMs: 1, serviceLevel: 0.8, maxOccupancy: 1 })).toThrow(RangeError)
  })
})
