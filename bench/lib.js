// Small helpers shared by the benchmarks. Figures are printed as ratios against a baseline measured
// in the same run, so a slower or faster machine does not change the verdict.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '..')
export const SHARED = join(ROOT, '../shared')

export function tempDir(prefix = 'listen-bench-') {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

export function timeMs(fn) {
  const t = process.hrtime.bigint()
  const r = fn()
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, result: r }
}

export async function timeMsAsync(fn) {
  const t = process.hrtime.bigint()
  const r = await fn()
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, result: r }
}

/** Runs a node script; resolves with wall ms, exit code, stderr and the child's peak RSS in MB. */
export function runNode(args, { cwd = ROOT, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint()
    const child = spawn(process.execPath, ['--import', join(ROOT, 'bench/rss-probe.js'), ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    let stdout = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t) / 1e6
      const m = /LISTEN_BENCH_MAXRSS_KB=(\d+)/.exec(stderr)
      resolve({ ms, code, stdout, stderr: stderr.replace(/LISTEN_BENCH_MAXRSS_KB=\d+\n?/, ''), rssMb: m ? Number(m[1]) / 1024 : NaN })
    })
  })
}

export function verdict(ok) {
  return ok ? 'PASS' : 'MISS'
}

export function line(label, value) {
  console.log(`  ${label.padEnd(58)} ${value}`)
}
