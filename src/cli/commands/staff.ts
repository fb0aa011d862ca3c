import type { Command } from 'commander'
import { addOutputOptions, type Kit } from '../kit.js'

export function register(program: Command, kit: Kit): void {
  addOutputOptions(
    program
      .command('staff')
      .description('Erlang C staffing for one interval: agents, scheduled heads and the backlog figure')
      .option('--volume <n>', 'contacts arriving in the interval')
      .option('--interval <duration>', 'length of the interval (default 1h)')
      .option('--aht <duration>', 'average handling time per contact, e.g. 240s or 6m (default: config staffing.aht)')
      .option('--target <duration>', 'answer within, e.g. 20s or 60m (default: config staffing.target)')
      .option('--service-level <share>', 'share answered within target, e.g. 0.8 or 80% (default: config)')
      .option('--shrinkage <share>', 'share of paid time not available (breaks, training, absence); default config, else 0.3')
      .option('--max-occupancy <share>', 'highest share of time agents are busy; default config, else 0.85'),
  )
    .addHelpText(
      'after',
      `
agents: Erlang C (M/M/N queue), the fewest agents with P(wait ≤ target) ≥ service level and
occupancy ≤ max. scheduled = ceil(agents ÷ (1 − shrinkage)). backlog: workload hours ÷ max occupancy,
for replies answered in turn rather than in a live queue. The table shows nearby head counts.

Example:
  $ listen staff --volume 100 --aht 240s --target 20s --service-level 0.8      # 10 agents`,
    )
    .action(async function (this: Command) {
      const ctx = await kit.context(this)
      const print = await kit.output(this, ctx.timezone)
      const { runStaff } = await import('../../commands/staff.js')
      print(runStaff(this.opts(), ctx))
    })
}
