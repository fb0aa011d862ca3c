// The program a run builds loads only the command argv names; the other commands are stand-ins
// made from the build's manifest, and the root's help must read exactly as with every command loaded.
import { describe, expect, it } from 'vitest'
import { buildProgram, commandManifest, commandNamed } from '../../src/cli/program.js'

const sink = { write: () => true }
const io = { stdout: sink, stderr: sink, env: {}, cwd: '/' } as never
const manifest = await commandManifest(io)
const argv = (...words: string[]) => ['node', 'listen', ...words]

describe('loading one command', () => {
  it.each([
    [argv('audit', '--since', '7d'), 'audit'],
    [argv('--db', 'x.db', '--tz', 'Europe/Berlin', 'report', '--by-hour'), 'report'],
    [argv('--config=listen.json', '-v', 'queue'), 'queue'],
    [argv('help', 'fetch'), 'fetch'],
    [argv('db', 'migrate-to', 'postgres://x'), 'db'],
    [argv('--help'), undefined],
    [argv('help'), undefined],
    [argv(), undefined],
    [argv('bogus'), undefined],
    [argv('--', 'audit'), undefined],
  ])('%j names the module %j', (args, expected) => {
    expect(commandNamed(args, manifest)).toBe(expected)
  })

  it('the manifest names every top-level command once, each with its help line', async () => {
    const full = await buildProgram(io)
    expect(manifest.map((e) => e.name)).toEqual(full.commands.map((c) => c.name()))
    expect(manifest.find((e) => e.name === 'import')).toMatchObject({ term: 'import [options] <files...>', hidden: false })
  })

  it.each([[argv('--help')], [argv('audit')], [argv('completion', 'bash')]])('with argv %j the root help reads as with every command loaded', async (args) => {
    const full = (await buildProgram(io)).helpInformation()
    expect((await buildProgram(io, Date.now, args, manifest)).helpInformation()).toBe(full)
  })

  it('only the named command is registered for real; completion gets them all', async () => {
    const options = async (args: string[]) =>
      Object.fromEntries((await buildProgram(io, Date.now, args, manifest)).commands.map((c) => [c.name(), c.options.length > 0]))
    expect(await options(argv('audit'))).toMatchObject({ audit: true, report: false, import: false })
    expect(await options(argv('--help'))).toMatchObject({ audit: false, report: false })
    expect(Object.values(await options(argv('completion', 'bash'))).filter(Boolean).length).toBeGreaterThan(15)
  })
})
