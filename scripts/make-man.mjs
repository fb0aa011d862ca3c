// Writes dist/listen.1 from the built program (npm run build runs it after tsc): the man page is
// made of the same commands, options and help texts as --help. package.json "man" installs it.
// Also dist/cli/commands.json: what the root's --help shows of each command, so a run loads only
// the command it names (src/cli/program.ts).
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { buildProgram, commandManifest } = await import(join(root, 'dist/cli/program.js'))
const { renderManPage } = await import(join(root, 'dist/cli/manpage.js'))
const { VERSION } = await import(join(root, 'dist/cli/kit.js'))
const sink = { write: () => true }
const io = { stdout: sink, stderr: sink, env: {}, cwd: root }
const program = await buildProgram(io)
writeFileSync(join(root, 'dist/listen.1'), renderManPage(program, VERSION))
writeFileSync(join(root, 'dist/cli/commands.json'), `${JSON.stringify(await commandManifest(io), null, 1)}\n`)
