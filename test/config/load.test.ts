import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load.js'
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
    ['{ "brands": [ }', /not valid JSON/],
  ])('names the key path of a bad config (%#)', (content, msg) => {
    const dir = withConfig(content)
    expect(() => loadConfig({}, {}, dir)).toThrow(msg)
    expect(() => loadConfig({}, {}, dir)).toThrow(/listen\.config\.json/)
  })
  it('says when --config points nowhere', () => {
    expect(() => loadConfig({ config: 'missing.json' }, {}, tmp())).toThrow(/cannot read config .*missing\.json: no such file/)
  })
})
