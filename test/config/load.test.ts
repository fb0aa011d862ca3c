import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig, locateConfig } from '../../src/config/load.js'
import { useTempDir } from '../helpers/tmp.js'

const tmp = useTempDir()

function withConfig(content: unknown) {
  const dir = tmp()
  writeFileSync(join(dir, 'listen.config.json'), typeof content === 'string' ? content : JSON.stringify(content))
  return dir
}

describe('loadConfig', () => {
  it('finds ./listen.config.json and puts the database beside it', () => {
    const dir = withConfig({ timezone: 'Europe/Berlin', brands: [{ name: 'Acme', query: 'acme' }] })
    const c = loadConfig({}, {}, dir)
    expect(c.database).toBe(join(dir, 'listen.db'))
    expect(c.timezone).toBe('Europe/Berlin')
    expect(c.brands[0]!.name).toBe('Acme')
  })
  it('lets --db win and reads $LISTEN_CONFIG', () => {
    const dir = withConfig({ database: 'x.db' })
    expect(loadConfig({ db: 'y.db' }, {}, dir).database).toBe(join(dir, 'y.db'))
    expect(loadConfig({}, { LISTEN_CONFIG: join(dir, 'listen.config.json') }, tmp()).database).toBe(join(dir, 'x.db'))
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
  ])('names the key path of a bad config (%#)', (content, msg) => {
    const dir = withConfig(content)
    expect(() => loadConfig({}, {}, dir)).toThrow(msg)
    expect(() => loadConfig({}, {}, dir)).toThrow(/listen\.config\.json/)
  })
  it('looks upwards from a subdirectory to the nearest listen.config.json, as git and npm do', () => {
    const dir = withConfig({ database: 'care.db' })
    const sub = join(dir, 'exports', '2026')
    mkdirSync(sub, { recursive: true })
    const env = { HOME: dir }
    expect(locateConfig({}, env, sub)).toMatchObject({ path: join(dir, 'listen.config.json'), origin: 'directory' })
    expect(loadConfig({}, env, sub).database).toBe(join(dir, 'care.db'))
    // --db stays relative to where the user is.
    expect(loadConfig({ db: 'x.db' }, env, sub).database).toBe(join(sub, 'x.db'))
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
  it('says when --config points nowhere', () => {
    expect(() => loadConfig({ config: 'missing.json' }, {}, tmp())).toThrow(/cannot read config .*missing\.json: no such file/)
  })
})
