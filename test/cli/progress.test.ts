import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/cli/io.js'
import { createProgressBar } from '../../src/cli/progress.js'

function fakeStream(isTTY: boolean, columns = 80) {
  const writes: string[] = []
  return { writes, stream: { isTTY, columns, write: (s: string) => writes.push(s) } }
}

const CLEAR = '\r\u001b[2K'

describe('createProgressBar', () => {
  it('draws a bar with the share and the label on a terminal', () => {
    const { writes, stream } = fakeStream(true)
    const bar = createProgressBar(stream, { NO_COLOR: '1' }, { now: () => 0 })
    bar.update('import a.jsonl: 500 rows', 50, 200)
    expect(writes).toEqual([`${CLEAR}${'█'.repeat(6)}${'░'.repeat(18)}  25 % import a.jsonl: 500 rows`])
  })

  it('colours the bar only without NO_COLOR', () => {
    const { writes, stream } = fakeStream(true)
    createProgressBar(stream, {}, { now: () => 0 }).update('x', 1, 2)
    expect(writes[0]).toContain('\u001b[36m')
  })

  it('redraws at most once per interval, but always the first and the last frame', () => {
    const { writes, stream } = fakeStream(true)
    let t = 0
    const bar = createProgressBar(stream, { NO_COLOR: '1' }, { now: () => t, intervalMs: 100 })
    bar.update('x', 1, 10)
    t = 50
    bar.update('x', 2, 10)
    t = 99
    bar.update('x', 3, 10)
    expect(writes).toHaveLength(1)
    t = 100
    bar.update('x', 4, 10)
    expect(writes).toHaveLength(2)
    expect(writes[1]).toContain(' 40 % x')
    t = 120
    bar.update('x', 10, 10)
    expect(writes).toHaveLength(3)
    expect(writes[2]).toContain('100 % x')
  })

  it('clears its line once, and draws again at once after a clear', () => {
    const { writes, stream } = fakeStream(true)
    const bar = createProgressBar(stream, { NO_COLOR: '1' }, { now: () => 0 })
    bar.clear()
    expect(writes).toEqual([])
    bar.update('x', 1, 4)
    bar.clear()
    bar.clear()
    expect(writes.slice(1)).toEqual([CLEAR])
    bar.update('x', 2, 4)
    expect(writes).toHaveLength(3)
  })

  it('shows only the label without a total', () => {
    const { writes, stream } = fakeStream(true)
    createProgressBar(stream, {}, { now: () => 0 }).update('fetch: mastodon 3 pages', 3)
    expect(writes).toEqual([`${CLEAR}fetch: mastodon 3 pages …`])
  })

  it('cuts the line to the terminal width, so \\r can clear it', () => {
    const { writes, stream } = fakeStream(true, 40)
    createProgressBar(stream, {}, { now: () => 0 }).update('import a-very-long-file-name-indeed.jsonl: 12,345 rows', 1, 2)
    // eslint-disable-next-line no-control-regex
    const visible = writes[0]!.slice(CLEAR.length).replace(/\u001b\[[0-9;]*m/g, '')
    expect([...visible]).toHaveLength(39)
    expect(visible.endsWith('…')).toBe(true)
    expect(writes[0]).toContain('\u001b[39m')
  })

  it.each([
    ['a pipe', false, {}],
    ['TERM=dumb', true, { TERM: 'dumb' }],
  ])('writes nothing on %s', (_name, isTTY, env) => {
    const { writes, stream } = fakeStream(isTTY)
    const bar = createProgressBar(stream, env, { now: () => 0 })
    bar.update('x', 1, 2)
    bar.update('x', 2, 2)
    bar.clear()
    expect(writes).toEqual([])
  })

  it('is cleared by the logger before a message, so lines never run into the bar', () => {
    const { writes, stream } = fakeStream(true)
    const bar = createProgressBar(stream, { NO_COLOR: '1' }, { now: () => 0 })
    const log = createLogger({ stdout: stream as never, stderr: stream as never, env: { NO_COLOR: '1' }, cwd: '/' }, false, bar)
    bar.update('x', 1, 2)
    log.warn('bad row')
    log.info('done: 2 rows')
    expect(writes).toEqual([expect.stringContaining('50 % x'), CLEAR, 'warning: bad row\n', 'done: 2 rows\n'])
  })
})
