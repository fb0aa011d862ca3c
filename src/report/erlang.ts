// Erlang C (M/M/N queue) for live channels, plus the backlog figure for asynchronous work. Pure.
// Numerically stable: Erlang B by its recurrence B(n) = A·B(n−1) / (n + A·B(n−1)), then
// C = N·B / (N − A·(1 − B)). No factorials or powers, so loads of thousands of erlangs stay finite.

export interface ErlangInput {
  /** Contacts arriving per hour. */
  perHour: number
  /** Average handling time, ms. */
  ahtMs: number
  /** Answer within this wait, ms. */
  targetMs: number
  /** Wanted share answered within target, 0 < p < 1. */
  serviceLevel: number
  /** Highest allowed occupancy A/N (agents busy share), 0 < o ≤ 1. */
  maxOccupancy: number
}

export interface ErlangResult {
  /** Offered load A = arrivals × AHT, in erlangs (= workload hours per hour). */
  erlangs: number
  /** Smallest N meeting the service level with occupancy A/N ≤ maxOccupancy. */
  agents: number
  /** P(wait ≤ target) with `agents`. */
  serviceLevel: number
  /** P(wait > 0) with `agents` (Erlang C). */
  probabilityWait: number
  /** Mean wait (average speed of answer), ms. */
  asaMs: number
  /** A / agents. */
  occupancy: number
}

/** Erlang B blocking probability for n servers and load a. */
export function erlangB(n: number, a: number): number {
  let b = 1
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b)
  return b
}

/** Erlang C: probability that a contact waits, for n agents and load a (1 when n ≤ a: the queue grows). */
export function erlangC(n: number, a: number): number {
  if (a <= 0) return 0
  if (n <= a) return 1
  const b = erlangB(n, a)
  return (n * b) / (n - a * (1 - b))
}

function fromC(n: number, a: number, c: number, input: Pick<ErlangInput, 'ahtMs' | 'targetMs'>): Omit<ErlangResult, 'erlangs'> {
  if (n <= a) return { agents: n, serviceLevel: 0, probabilityWait: 1, asaMs: Infinity, occupancy: n > 0 ? 1 : 0 }
  return {
    agents: n,
    serviceLevel: 1 - c * Math.exp((-(n - a) * input.targetMs) / input.ahtMs),
    probabilityWait: c,
    asaMs: (c * input.ahtMs) / (n - a),
    occupancy: a / n,
  }
}

/** Service level and waits for a given number of agents. */
export function erlangPerformance(agents: number, input: Pick<ErlangInput, 'perHour' | 'ahtMs' | 'targetMs'>): ErlangResult {
  const a = (input.perHour * input.ahtMs) / 3_600_000
  if (a <= 0) return { erlangs: 0, agents, serviceLevel: 1, probabilityWait: 0, asaMs: 0, occupancy: 0 }
  return { erlangs: a, ...fromC(agents, a, erlangC(agents, a), input) }
}

/** The fewest agents that meet the service level without exceeding the occupancy cap. */
export function requiredAgents(input: ErlangInput): ErlangResult {
  const { perHour, ahtMs, targetMs, serviceLevel, maxOccupancy } = input
  if (!(perHour >= 0) || !(ahtMs > 0) || !(targetMs >= 0) || !(serviceLevel > 0 && serviceLevel < 1) || !(maxOccupancy > 0 && maxOccupancy <= 1)) {
    throw new RangeError(`requiredAgents: invalid input ${JSON.stringify(input)}`)
  }
  const a = (perHour * ahtMs) / 3_600_000
  if (a === 0) return { erlangs: 0, agents: 0, serviceLevel: 1, probabilityWait: 0, asaMs: 0, occupancy: 0 }
  // Walk n upwards carrying B(n): one multiply-divide per step, so the search costs O(N) in total.
  let b = 1
  for (let n = 1; ; n++) {
    b = (a * b) / (n + a * b)
    if (n <= a || a / n > maxOccupancy) continue
    const c = (n * b) / (n - a * (1 - b))
    const r = fromC(n, a, c, input)
    if (r.serviceLevel >= serviceLevel) return { erlangs: a, ...r }
  }
}

/** Agents to put on the rota so that `agents` are available after shrinkage (breaks, training, absence). */
export function scheduledAgents(agents: number, shrinkage: number): number {
  // The epsilon keeps 10 / (1 − 0.3) = 14.285… → 15 but 7 / (1 − 0.3) = 10.000…1 → 10.
  return agents === 0 ? 0 : Math.ceil(agents / (1 - shrinkage) - 1e-9)
}

/**
 * Backlog model for asynchronous work (public comments answered in turn, not a live queue): the
 * hour's workload in agent-hours divided by the occupancy agents can sustain.
 */
export function backlogAgents(erlangs: number, maxOccupancy: number): number {
  return erlangs === 0 ? 0 : Math.ceil(erlangs / maxOccupancy - 1e-9)
}
