// Loaded with `node --import` by the benchmarks: reports the process's peak RSS on exit.
process.on('exit', () => {
  process.stderr.write(`LISTEN_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`)
})
