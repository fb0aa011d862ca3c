// `listen report --html` opened in a real browser (Debian's chromium through playwright-core), with
// every network request blocked: the charts render and carry the numbers of the JSON report.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_WINDOW, runDemoFetch } from '../../src/commands/demo.js'
import { runCli } from '../helpers/cli.js'
import { useTempDir } from '../helpers/tmp.js'

const CHROMIUM = '/usr/bin/chromium'
const HAVE_CHROMIUM = existsSync(CHROMIUM)
const ROOT = join(import.meta.dirname, '../..')
const OUT = join(ROOT, 'test/out')
const CONFIG = join(ROOT, 'fixtures/demo/listen.config.json')
const quiet = { warn() {}, info() {}, debug() {} }
const tmp = useTempDir()

// A post from a stranger that tries markup, a script URL and bidi tricks, with German umlauts; the
// oldest unanswered post of the window, so the ledger shows it.
const HOSTILE = {
  id: 'evil-1',
  source: 'mastodon',
  brand: 'Acme Air',
  created_at: '2026-10-12T00:30:00+02:00',
  author: 'Jürgen Größe',
  text: 'Störung? <script>globalThis.pwned = 1</script><img src=x onerror="globalThis.pwned = 2"> \u202eevil\u202c & "quotes"',
  url: 'javascript:globalThis.pwned = 3',
  label: 'question',
}

const WINDOW = ['--from', DEMO_WINDOW.from, '--until', DEMO_WINDOW.until, '--tz', 'Europe/Berlin']
const STAFFING = ['--aht', '20m', '--target', '15m', '--service-level', '0.9']

describe.skipIf(!HAVE_CHROMIUM && !process.env.CI)('listen report --html in headless Chromium', () => {
  let browser: Browser | undefined

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium; .ci/run does this) — the HTML report test needs a real browser`)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('writes one self-contained file whose charts hold the JSON report’s numbers', async () => {
    const dir = tmp()
    const db = join(dir, 'demo.db')
    await runDemoFetch({ heatmap: false, timezone: 'Europe/Berlin', root: ROOT, log: quiet }, db)
    writeFileSync(join(dir, 'hostile.jsonl'), `${JSON.stringify(HOSTILE)}\n`)
    const cli = (args: string[]) => runCli(['--config', CONFIG, '--db', db, ...args], { cwd: dir })
    expect((await cli(['import', 'hostile.jsonl'])).code).toBe(0)

    // Alone, --html writes the file, names it on stderr and leaves stdout empty.
    const plain = await cli(['report', '--html', 'plain.html', ...WINDOW, ...STAFFING])
    expect(plain).toMatchObject({ code: 0, stdout: '', stderr: `${join(dir, 'plain.html')}\n` })

    const r = await cli(['report', '--html', 'report.html', '--heatmap', '--format', 'json', ...WINDOW, ...STAFFING])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(`${join(dir, 'report.html')}\n`)
    const json = JSON.parse(r.stdout)
    const summary = JSON.parse((await cli(['report', '--summary', '--format', 'json', ...WINDOW])).stdout)
    expect(json).toMatchObject({ kind: 'by-hour', total: 1295 })

    const file = join(dir, 'report.html')
    const html = readFileSync(file, 'utf8')
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=["']?https?:/i)
    expect(html).toContain('&lt;script&gt;')

    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } })
    const problems: string[] = []
    const blocked: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    const url = pathToFileURL(file).href
    await page.route('**', (route) => {
      if (route.request().url() === url) return route.continue()
      blocked.push(route.request().url())
      return route.abort()
    })
    await page.goto(url)

    for (const id of ['#by-hour', '#heatmap', '#share-of-voice']) {
      const box = await page.locator(id).boundingBox()
      expect(box, id).not.toBeNull()
      expect(box!.width, id).toBeGreaterThan(300)
      expect(box!.height, id).toBeGreaterThan(20)
    }

    // Bars: one per local hour, totals and label segments as in the JSON, heights proportional.
    const bars = await page.locator('#by-hour g.bar').evaluateAll((els) =>
      els.map((g) => ({
        hour: Number(g.getAttribute('data-hour')),
        total: Number(g.getAttribute('data-total')),
        height: [...g.querySelectorAll('rect')].reduce((s, r) => s + r.getBoundingClientRect().height, 0),
        segments: Object.fromEntries([...g.querySelectorAll('rect')].map((r) => [r.getAttribute('data-label'), Number(r.getAttribute('data-count'))])),
      })),
    )
    expect(bars).toHaveLength(24)
    type Hour = { hour: number; total: number; byLabel: Record<string, number> }
    for (const h of json.hours as Hour[]) {
      const bar = bars.find((b) => b.hour === h.hour)!
      expect(bar.total, `hour ${h.hour}`).toBe(h.total)
      expect(bar.segments).toEqual(Object.fromEntries(Object.entries(h.byLabel).filter(([, n]) => n > 0)))
    }
    const busiest = bars.reduce((a, b) => (b.total > a.total ? b : a))
    for (const b of bars) expect(b.height).toBeCloseTo((busiest.height * b.total) / busiest.total, 0)

    // The staffing line: Erlang C agents per hour as planned.
    const agents = await page.locator('#by-hour circle.pt').evaluateAll((els) => els.map((c) => [Number(c.getAttribute('data-hour')), Number(c.getAttribute('data-agents')), Number(c.getAttribute('data-backlog'))]))
    expect(agents).toEqual(json.staffing.hours.map((h: { agents: number; backlogAgents: number }, i: number) => [i, h.agents, h.backlogAgents]))

    // Heatmap: 168 cells with the JSON's counts.
    const cells = await page.locator('#heatmap g.cell').evaluateAll((els) => els.map((g) => `${g.getAttribute('data-weekday')} ${g.getAttribute('data-hour')} ${g.getAttribute('data-total')}`))
    expect(cells).toHaveLength(168)
    expect(cells).toEqual(json.heatmap.cells.map((c: { weekday: string; hour: number; total: number }) => `${c.weekday} ${c.hour} ${c.total}`))

    // Completeness, prominently: the demo was fetched for the whole window.
    await expect(page.locator('#completeness h2').textContent()).resolves.toBe('Data complete: every hour of the window was fetched')
    expect(await page.locator('#completeness li').count()).toBe(4)
    await expect(page.locator('#completeness-figure .kpi-value').textContent()).resolves.toBe('100 %')

    // Summary and audit figures.
    await expect(page.locator('#needs-response-count').textContent()).resolves.toBe(String(summary.needsResponse.unanswered))
    for (const l of summary.byLabel as Array<{ key: string; count: number }>) {
      await expect(page.locator(`#summary tr[data-label="${l.key}"]`).getAttribute('data-count')).resolves.toBe(String(l.count))
    }
    expect(await page.locator('#audit tr[data-source]').count()).toBe(5)

    // The stranger's post is text: no script ran, no element was injected, the javascript: URL is no link.
    const row = page.locator('#audit tr[data-id="evil-1"]')
    await expect(row.locator('.text').textContent()).resolves.toBe('Störung? <script>globalThis.pwned = 1</script><img src=x onerror="globalThis.pwned = 2"> evil & "quotes"')
    expect(await row.locator('a').count()).toBe(0)
    await expect(row.textContent()).resolves.toContain('Jürgen Größe')
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined()
    expect(await page.locator('script, img, iframe, link').count()).toBe(0)

    expect(problems).toEqual([])
    expect(blocked).toEqual([])
    mkdirSync(OUT, { recursive: true })
    await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true })
    await page.close()
  }, 60_000)

  it('draws whole-agent ticks, keeps the agent lines off the bars’ labels and both lines visible, at 1400 px and on a 400 px phone', async () => {
    const dir = tmp()
    const db = join(dir, 'demo.db')
    await runDemoFetch({ heatmap: false, timezone: 'Europe/Berlin', root: ROOT, log: quiet }, db)
    const cli = (args: string[]) => runCli(['--config', CONFIG, '--db', db, ...args], { cwd: dir })
    // The demo config's staffing gives one agent at every hour in both models; these flags make them differ at some hours.
    expect((await cli(['report', '--html', 'same.html', ...WINDOW])).code).toBe(0)
    expect((await cli(['report', '--html', 'differ.html', ...WINDOW, ...STAFFING])).code).toBe(0)
    mkdirSync(OUT, { recursive: true })
    for (const width of [1400, 400]) {
      const page = await browser!.newPage({ viewport: { width, height: 1000 } })
      for (const name of ['same', 'differ']) {
        await page.goto(pathToFileURL(join(dir, `${name}.html`)).href)
        const ticks = await page.locator('#by-hour text.tick.agents').allTextContents()
        expect(ticks.length, `${name} at ${width}`).toBeGreaterThanOrEqual(3)
        expect(ticks.every((t) => /^\d+$/.test(t)), ticks.join(' ')).toBe(true)
        expect(new Set(ticks).size).toBe(ticks.length)
        // Every value label above the bars ends above the agent panel's lines.
        const labels = await page.locator('#by-hour text.val').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().bottom))
        const lines = await page.locator('#by-hour path.line, #by-hour circle.pt').evaluateAll((els) => Math.min(...els.map((e) => e.getBoundingClientRect().top)))
        expect(Math.max(...labels)).toBeLessThan(lines)
        const backlog = page.locator('#by-hour path.line.backlog')
        const legend = await page.locator('#volume .legend').textContent()
        if (name === 'same') {
          expect(await backlog.count()).toBe(0)
          expect(legend).toMatch(/agree at every hour: one line/)
        } else {
          // Drawn after (over) the Erlang C line, dashed, in its own colour.
          expect(await page.locator('#by-hour path.line').evaluateAll((els) => els.map((e) => e.getAttribute('class')))).toEqual(['line erlang', 'line backlog'])
          expect(await backlog.evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { strokeDasharray: string } }).getComputedStyle(e).strokeDasharray)).toMatch(/\d/)
          expect(legend).toMatch(/backlog model/)
        }
        // Legible on a phone: the chart keeps ≥ 9 px text and scrolls sideways; the page itself does not.
        const tickPx = await page.locator('#by-hour text.tick').first().evaluate((e) => e.getBoundingClientRect().height)
        expect(tickPx).toBeGreaterThanOrEqual(9)
        expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
        await page.screenshot({ path: join(OUT, `report-${name}-${width}.png`), fullPage: true })
      }
      await page.close()
    }
  }, 60_000)
})
