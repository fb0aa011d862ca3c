import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configCacheDir, configCacheKey } from '../../src/config/cache.js'
import { loadConfig, locateConfig } from '../../src/config/load.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

function withConfig(content: unknown) {
  const dir = tmp()
  writeFileSync(join(dir, 'listen.config.json'), typeof content === 'string' ? content : JSON.stringify(content))
  return dir
}

describe('loadConfig', () => {
  it('finds ./listen.config.json and puts the database beside it', async () => {
    const dir = withConfig({ timezone: 'Europe/Berlin', brands: [{ name: 'Acme', query: 'acme' }] })
    const c = await loadConfig({}, {}, dir)
    expect(c.database).toBe(join(dir, 'listen.db'))
    expect(c.timezone).toBe('Europe/Berlin')
    expect(c.brands[0]!.name).toBe('Acme')
  })
  it('lets --db win and reads $LISTEN_CONFIG', async () => {
    const dir = withConfig({ database: 'x.db' })
    expect((await loadConfig({ db: 'y.db' }, {}, dir)).database).toBe(join(dir, 'y.db'))
    expect((await loadConfig({}, { LISTEN_CONFIG: join(dir, 'listen.config.json') }, tmp())).database).toBe(join(dir, 'x.db'))
  })
  it.each([
    [{ timezone: 'Mars/Olympus' }, /timezone: expected an IANA time zone/],
    [{ brands: [{ name: 'Acme' }] }, /brands\[0\]\.query: /],
    [{ brands: [{ name: 'Acme', query: 'a', handels: {} }] }, /brands\[0\]: .*handels/],
    [{ sources: { mastodon: { baseUrl: 'mastodon.social' } } }, /sources\.mastodon\.baseUrl: expected an http\(s\) URL/],
    [{ staffing: { serviceLevel: 80 } }, /staffing\.serviceLevel: /],
    [{ staffing: { aht: 'six minutes' } }, /staffing\.aht: expected a duration/],
    [{ databaseReconnect: 'forever' }, /databaseReconnect: expected a duration such as 30s or 2m \(0s = fail at once\)/],
    ['{ "brands": [ }', /not valid JSON/],
  ])('names the key path of a bad config (%#)', async (content, msg) => {
    const dir = withConfig(content)
    await expect(loadConfig({}, {}, dir)).rejects.toThrow(msg)
    await expect(loadConfig({}, {}, dir)).rejects.toThrow(/listen\.config\.json/)
  })
  it('looks upwards from a subdirectory to the nearest listen.config.json, as git and npm do', async () => {
    const dir = withConfig({ database: 'care.db' })
    const sub = join(dir, 'exports', '2026')
    mkdirSync(sub, { recursive: true })
    const env = { HOME: dir }
    expect(locateConfig({}, env, sub)).toMatchObject({ path: join(dir, 'listen.config.json'), origin: 'directory' })
    expect((await loadConfig({}, env, sub)).database).toBe(join(dir, 'care.db'))
    // --db stays relative to where the user is.
    expect((await loadConfig({ db: 'x.db' }, env, sub)).database).toBe(join(sub, 'x.db'))
  })
  it('then reads $XDG_CONFIG_HOME/listen/, else ~/.config/listen/; the search stops after the home directory', () => {
    const home = tmp()
    const work = join(home, 'work')
    mkdirSync(join(home, '.config', 'listen'), { recursive: true })
    mkdirSync(work)
    writeFileSync(join(home, '.config', 'listen', 'listen.config.json'), '{}')
    expect(locateConfig({}, { HOME: home }, work)).toMatchObject({ path: join(home, '.config/listen/listen.config.json'), origin: 'xdg' })
    const xdg = tmp()
    mkdirSync(join(xdg, 'listen'))
    writeFileSync(join(xdg, 'listen', 'listen.config.json'), '{}')
    expect(locateConfig({}, { HOME: home, XDG_CONFIG_HOME: xdg }, work)).toMatchObject({ path: join(xdg, 'listen/listen.config.json'), origin: 'xdg' })
    const none = locateConfig({}, { HOME: work, XDG_CONFIG_HOME: tmp() }, work)
    expect(none).toMatchObject({ path: null, origin: null })
    expect(none.searched).toEqual([join(work, 'listen.config.json'), expect.stringMatching(/listen\/listen\.config\.json$/)])
  })
  it('says when --config points nowhere', async () => {
    await expect(loadConfig({ config: 'missing.json' }, {}, tmp())).rejects.toThrow(/cannot read config .*missing\.json: no such file/)
  })
})

describe('the config cache', () => {
  const good = { timezone: 'Europe/Berlin', brands: [{ name: 'Acme', query: 'acme' }], topics: [{ name: 'checkout', keywords: { en: ['basket'] } }] }

  it('keeps the validated value once, under $XDG_CACHE_HOME/listen/config, and reads it back', async () => {
    const dir = withConfig(good)
    const env = { XDG_CACHE_HOME: tmp() }
    const first = await loadConfig({}, env, dir)
    const cacheDir = configCacheDir(env)!
    expect(cacheDir).toBe(join(env.XDG_CACHE_HOME, 'listen', 'config'))
    const text = readFileSync(join(dir, 'listen.config.json'), 'utf8')
    const entry = join(cacheDir, `${configCacheKey(text)}.json`)
    expect(readdirSync(cacheDir)).toEqual([`${configCacheKey(text)}.json`])
    expect(statSync(entry).mode & 0o777).toBe(0o600)
    // The validated value, defaults and transforms included (topics get both languages).
    expect(JSON.parse(readFileSync(entry, 'utf8')).config).toEqual({ ...good, sources: {}, topics: [{ name: 'checkout', keywords: { en: ['basket'], de: [] }, examples: { en: [], de: [] } }] })
    // What a second run gets comes from the entry: rewritten here to prove it is read.
    writeFileSync(entry, JSON.stringify({ key: configCacheKey(text), config: { ...good, brands: [{ name: 'From cache', query: 'x' }] } }))
    expect((await loadConfig({}, env, dir)).brands[0]!.name).toBe('From cache')
    expect(first.brands[0]!.name).toBe('Acme')
  })

  it.each([
    ['a damaged entry', '{"key": '],
    ['an entry of another text', JSON.stringify({ key: 'other', config: { brands: [{ name: 'Wrong', query: 'x' }] } })],
  ])('validates again over %s', async (_, content) => {
    const dir = withConfig(good)
    const env = { XDG_CACHE_HOME: tmp() }
    const cacheDir = configCacheDir(env)!
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(join(cacheDir, `${configCacheKey(readFileSync(join(dir, 'listen.config.json'), 'utf8'))}.json`), content)
    expect((await loadConfig({}, env, dir)).brands[0]!.name).toBe('Acme')
  })

  it('never keeps a bad config, and a changed file is validated again', async () => {
    const dir = withConfig(good)
    const env = { HOME: tmp() }
    await loadConfig({}, env, dir)
    writeFileSync(join(dir, 'listen.config.json'), JSON.stringify({ ...good, timezone: 'Mars/Olympus' }))
    await expect(loadConfig({}, env, dir)).rejects.toThrow(/timezone: expected an IANA time zone/)
    await expect(loadConfig({}, env, dir)).rejects.toThrow(/timezone: expected an IANA time zone/)
    expect(readdirSync(join(env.HOME, '.cache', 'listen', 'config'))).toHaveLength(1)
  })

  it('is off with LISTEN_CONFIG_CACHE=0 and without a home; a cache that cannot be written costs nothing but time', async () => {
    expect(configCacheDir({ HOME: '/h', LISTEN_CONFIG_CACHE: '0' })).toBeNull()
    expect(configCacheDir({})).toBeNull()
    const dir = withConfig(good)
    const blocked = tmp()
    writeFileSync(join(blocked, 'listen'), 'a file where the cache directory would go')
    expect((await loadConfig({}, { XDG_CACHE_HOME: blocked }, dir)).brands[0]!.name).toBe('Acme')
  })

  it('removes entries older than 90 days when it writes one', async () => {
    const env = { XDG_CACHE_HOME: tmp() }
    const cacheDir = configCacheDir(env)!
    mkdirSync(cacheDir, { recursive: true })
    const old = join(cacheDir, 'old.json')
    writeFileSync(old, '{}')
    const longAgo = new Date(Date.now() - 91 * 24 * 3600_000)
    utimesSync(old, longAgo, longAgo)
    writeFileSync(join(cacheDir, 'recent.json'), '{}')
    await loadConfig({}, env, withConfig(good))
    expect(readdirSync(cacheDir).sort()).toEqual([`${configCacheKey(JSON.stringify(good))}.json`, 'recent.json'].sort())
  })
})
