// Small helpers shared by the benchmarks. Figures are printed as ratios against a baseline measured
// in the same run, so a slower or faster machine does not change the verdict.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs'
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

export function line(label, value) {
  console.log(`  ${label.padEnd(58)} ${value}`)
}

const TIME = '/usr/bin/time'
const HAS_TIME = existsSync(TIME)

/**
 * Runs any program; resolves with wall ms, CPU ms (user + system, all threads), exit code,
 * stdout, stderr and peak RSS in MB, measured
 * by /usr/bin/time (GNU time, Debian package `time`) so that non-node children (sqlite-utils) are
 * measured the same way. `stdoutFile`: send stdout there instead of holding it in memory.
 */
export function runProcess(cmd, args, { cwd = ROOT, env = process.env, stdoutFile } = {}) {
  return new Promise((resolve, reject) => {
    const fd = stdoutFile ? openSync(stdoutFile, 'w') : null
    const argv = HAS_TIME ? ['-f', 'LISTEN_BENCH_MAXRSS_KB=%M LISTEN_BENCH_CPU_S=%U+%S', cmd, ...args] : args
    const t = process.hrtime.bigint()
    const child = spawn(HAS_TIME ? TIME : cmd, argv, { cwd, env, stdio: ['ignore', fd ?? 'pipe', 'pipe'] })
    if (fd !== null) closeSync(fd)
    let stderr = ''
    let stdout = ''
    child.stdout?.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t) / 1e6
      const m = /LISTEN_BENCH_MAXRSS_KB=(\d+) LISTEN_BENCH_CPU_S=([\d.]+)\+([\d.]+)\n?/.exec(stderr)
      const cpuMs = m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN
      resolve({ ms, cpuMs, code, stdout, stderr: m ? stderr.replace(m[0], '') : stderr, rssMb: m ? Number(m[1]) / 1024 : NaN })
    })
  })
}

/** The listen CLI as a child process (see runProcess). */
export function runListen(args, options) {
  return runProcess(process.execPath, [join(ROOT, 'bin/listen.js'), ...args], options)
}

/** Bytes on disk of a SQLite database with its WAL and shared-memory files. */
export function dbBytes(file) {
  let n = 0
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) n += statSync(f).size
  return n
}

export function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, cmd))) return join(dir, cmd)
  return null
}

// Every figure of a run, for bench/out/results.json (the README table is made from one run).
export const figures = []

export const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(n))

/**
 * Prints one figure and records it. With `goal` ({ op: '>=' | '<=', value, text }) the line says
 * whether it was met; without, it is a baseline or context figure.
 */
export function figure(bench, name, value, { unit = '', digits = 0, goal, text, extra } = {}) {
  let met = null
  if (goal) met = Number.isFinite(value) && (goal.op === '>=' ? value >= goal.value : value <= goal.value)
  const shown = text ?? `${fmt(value, digits)}${unit ? ` ${unit}` : ''}`
  const mark = goal ? `  ${met ? 'met' : 'NOT MET'} (goal ${goal.text ?? `${goal.op === '>=' ? '≥' : '≤'}${fmt(goal.value)}${unit ? ` ${unit}` : ''}`})` : ''
  line(name, `${shown}${mark}`)
  figures.push({ bench, name, value: Number.isFinite(value) ? value : null, unit, digits, ...(goal ? { goal: { op: goal.op, value: goal.value }, met } : {}), ...(extra ?? {}) })
  return met
}

/** A figure that could not be measured (a tool not installed): printed and recorded as skipped. */
export function skipped(bench, name, why) {
  line(name, `skipped: ${why}`)
  figures.push({ bench, name, value: null, skipped: why })
}
