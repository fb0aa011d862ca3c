// A program on a real terminal, for what only happens on one (queue --watch): Python's standard
// pty module forks the program on a pseudo-terminal and relays it; bytes written with send() reach
// the terminal as typed keys, so "\x03" is a real Ctrl-C (SIGINT from the terminal driver).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
const RELAY = `
import os, pty, select, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
inp = sys.stdin.fileno()
while True:
    r, _, _ = select.select([fd, inp], [], [])
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        os.write(1, data)
    if inp in r:
        data = os.read(inp, 1024)
        if data:
            os.write(fd, data)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 255)
`

export interface PtyRun {
  /** Everything the terminal showed so far (stdout and stderr, as on a screen). */
  output(): string
  send(keys: string): void
  /** Resolves once the output matches, or rejects after `ms` with what was shown. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>
  exited: Promise<number | null>
}

export function spawnPty(argv: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): PtyRun {
  const child = spawn(PYTHON, ['-c', RELAY, ...argv], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  const waiters = new Set<() => void>()
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString('utf8')
    for (const w of waiters) w()
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {
    output: () => out,
    send: (keys) => void child.stdin.write(keys),
    exited,
    waitFor: (pattern, ms = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(out)) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve()
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`the terminal never showed ${pattern}; it showed:\n${out}`))
        }, ms)
        waiters.add(check)
        check()
      }),
  }
}
