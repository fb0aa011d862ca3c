// Shape of listen staff: Erlang C for one volume, with the table of agents around the answer.
import { STAFFING_MODELS } from './byhour.js'

export interface StaffRow {
  agents: number
  serviceLevel: number
  probabilityWait: number
  asaSeconds: number | null
  occupancy: number
  meets: boolean
  /** This head count after shrinkage. */
  scheduled: number
  /** The Erlang C answer (the model's `agents`). */
  chosen: boolean
}

export interface StaffModel {
  kind: 'staff'
  input: { volume: number; interval: string; perHour: number; aht: string; target: string; serviceLevel: number; shrinkage: number; maxOccupancy: number }
  erlangs: number
  agents: number
  scheduled: number
  backlogAgents: number
  achieved: { serviceLevel: number; probabilityWait: number; asaSeconds: number; occupancy: number }
  models: typeof STAFFING_MODELS
  /** Head counts around the answer, to show what one agent more or less does. */
  table: StaffRow[]
}
