// The house rules of src/ as a test: no import circles, and every folder imports only from the
// floors below it (.dependency-cruiser.cjs; README, Architecture).
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { cruise, type ICruiseResult } from 'dependency-cruiser'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..')
const config = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: unknown[]; options: Record<string, unknown> }

describe('the import graph of src/', () => {
  it('has no circles and no import from a lower floor to a higher one', async () => {
    const result = await cruise([join(ROOT, 'src')], { ...config.options, baseDir: ROOT, validate: true, ruleSet: { forbidden: config.forbidden } } as never)
    const output = result.output as ICruiseResult
    const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => (typeof c === 'string' ? c : c.name)).join(' → ')})` : ''}`)
    expect(output.summary.totalCruised).toBeGreaterThan(100)
    expect(violations).toEqual([])
  })
})
