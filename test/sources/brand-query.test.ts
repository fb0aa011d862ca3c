import { describe, expect, it } from 'vitest'
import { UsageError } from '../../src/models/errors.js'
import { describeBrandQuery, excludedByBrandQuery, matchesBrandQuery, parseBrandQuery, parseBrandQueries } from '../../src/sources/brand-query.js'

describe('parseBrandQuery', () => {
  it.each([
    ['slack -stock -shares', 'slack AND NOT stock AND NOT shares'],
    ['"deutsche bahn" OR db_bahn', '"deutsche bahn" OR db_bahn'],
    ['(acme OR acmeair) -job -jobs', '(acme OR acmeair) AND NOT job AND NOT jobs'],
    ['acme | acmeair', 'acme OR acmeair'],
    ['acme|acmeair', 'acme OR acmeair'],
    ['Acme AND Air', 'acme AND air'],
    ['a OR b c', 'a OR (b AND c)'],
    ['(a OR b) c', '(a OR b) AND c'],
    ['acme -(stock OR shares)', 'acme AND NOT (stock OR shares)'],
    ['acme NOT stock', 'acme AND NOT stock'],
    ['acme -"share price"', 'acme AND NOT "share price"'],
    ['"Acme"', '"acme"'],
    ['t-mobile', '"t mobile"'],
    ["mcdonald's", '"mcdonald s"'],
    ['bahn* -bahnhof', 'bahn* AND NOT bahnhof'],
    ['"deutsche bahn*"', '"deutsche bahn*"'],
    ['#acme OR @acme', '#acme OR @acme'],
    ['Straße', 'strasse'],
    ['ÖBB', 'öbb'],
    ['or', 'or'],
    ['acme -is:retweet lang:de', 'acme (platform operators, not checked locally: -is:retweet lang:de)'],
    ['acme NOT is:retweet', 'acme (platform operators, not checked locally: -is:retweet)'],
    ['acme subreddit:de site:example.com/x', 'acme (platform operators, not checked locally: subreddit:de site:example.com/x)'],
    ['(acme lang:de) OR acmeair', 'acme OR acmeair (platform operators, not checked locally: lang:de)'],
    ['from:"Acme Air" acme', 'acme (platform operators, not checked locally: from:"Acme Air")'],
    ['acme OR from:acme', 'every mention the platform returns (platform operators, not checked locally: from:acme)'],
    ['from:acme', 'every mention the platform returns (platform operators, not checked locally: from:acme)'],
    ['acme: help', 'acme AND help'],
    ['https://acme.com', '"https acme com"'],
  ])('%s → %s', (query, described) => {
    expect(describeBrandQuery(parseBrandQuery(query))).toBe(described)
  })

  it('keeps the source and the ignored operators', () => {
    const q = parseBrandQuery('acme -is:retweet')
    expect(q.source).toBe('acme -is:retweet')
    expect(q.ignored).toEqual(['-is:retweet'])
    expect(q.root).toEqual({ kind: 'words', words: [{ word: 'acme', prefix: false, sigil: '' }], quoted: false })
  })
})

describe('parseBrandQuery errors', () => {
  it.each([
    ['', 'at character 1, it is empty'],
    ['   ', 'at character 1, it is empty'],
    ['(acme OR acmeair -job', `at character 1, "(" is never closed`],
    ['acme)', `at character 5, ")" has no matching "("`],
    ['(acme))', `at character 7, ")" has no matching "("`],
    ['"deutsche bahn', 'at character 1, the quote is never closed'],
    ['acme from:"x', 'at character 11, the quote is never closed'],
    ['acme OR', 'at character 6, "OR" has nothing after it'],
    ['acme |', 'at character 6, "|" has nothing after it'],
    ['OR acme', 'at character 1, "OR" has nothing before it'],
    ['acme OR OR b', 'at character 6, "OR" has nothing after it'],
    ['(OR acme)', 'at character 2, "OR" has nothing before it'],
    ['(acme OR) b', 'at character 7, "OR" has nothing after it'],
    ['acme AND', 'at character 6, "AND" has nothing after it'],
    ['acme ()', 'at character 6, the group "()" is empty'],
    ['acme ( )', 'at character 6, the group "()" is empty'],
    ['acme ""', 'at character 6, the phrase "" is empty'],
    ['-stock -shares', 'at character 1, "-stock -shares" has nothing but exclusions'],
    ['-(stock OR shares)', 'at character 1, "-(stock OR shares)" has nothing but exclusions'],
    ['acme OR -stock', 'at character 9, "-stock" has nothing but exclusions'],
    ['-stock -is:retweet', 'at character 1, "-stock -is:retweet" has nothing but exclusions'],
    ['acme - stock', 'at character 6, a "-" must stand right before'],
    ['acme -', 'at character 6, a "-" must stand right before'],
    ['acme --stock', 'at character 6, a "-" must stand right before'],
    ['acme NOT', 'at character 6, "NOT" must stand before'],
    ['acme NOT -stock', 'at character 6, "NOT" must stand before'],
    ['ba*hn', 'at character 3, "*" in "ba*hn" must end a word'],
    ['*bahn', 'at character 1, "*" in "*bahn" must end a word'],
    ['acme *', 'at character 6, "*" has no letters or digits to match'],
    ['acme &', 'at character 6, "&" has no letters or digits to match'],
  ])('%j → %s', (query, message) => {
    expect(() => parseBrandQuery(query)).toThrow(UsageError)
    expect(() => parseBrandQuery(query)).toThrow(`query '${query}': ${message}`)
  })
})

describe('matchesBrandQuery', () => {
  it.each([
    // terms: whole words, case-insensitive, inside hyphenated compounds, not inside closed compounds
    ['slack', 'Slack is down again', true],
    ['slack', 'SLACK!!!', true],
    ['slack', 'slacker news', false],
    ['slack', 'the slack-integration broke', true],
    ['slack', "Slack's status page", true],
    ['telekom', 'Telekom-Hotline seit Stunden besetzt', true],
    ['telekom', 'Telekomhotline', false],
    ['telekom*', 'Telekomhotline', true],
    ['telekom*', 'Telekom', true],
    ['telekom*', 'DeutscheTelekom', false],
    // exclusions
    ['slack -stock -shares', 'Slack stock falls 5%', false],
    ['slack -stock -shares', 'Slack shares hit a new high', false],
    ['slack -stock -shares', 'Slack is down, nothing loads', true],
    ['slack -stock -shares', 'Slack restocks its sticker shop', true],
    ['acme -(stock OR shares)', 'acme shares', false],
    ['acme -"share price"', 'acme share price drop', false],
    ['acme -"share price"', 'acme price share', true],
    // phrases: consecutive words, punctuation between them ignored
    ['"deutsche bahn"', 'Die Deutsche Bahn ist zu spät', true],
    ['"deutsche bahn"', 'Deutsche-Bahn-Chaos in Köln', true],
    ['"deutsche bahn"', 'deutsche. Bahn', true],
    ['"deutsche bahn"', 'Bahn, deutsche', false],
    ['"deutsche bahn"', 'die deutsche und die bahn', false],
    ['"deutsche bahn*"', 'deutsche Bahnhöfe', true],
    ['t-mobile', 'T Mobile has no signal', true],
    ['t-mobile', 'my t-mobile bill', true],
    ['t-mobile', 'mobile t', false],
    // OR, groups, precedence
    ['"deutsche bahn" OR db_bahn', '@DB_Bahn wo bleibt der ICE?', true],
    ['"deutsche bahn" OR db_bahn', 'db bahn', false],
    ['(acme OR acmeair) -job -jobs', 'AcmeAir lost my bag', true],
    ['(acme OR acmeair) -job -jobs', 'Acme Air jobs: apply now', false],
    ['a OR b c', 'only a here', true],
    ['a OR b c', 'only b here', false],
    // Unicode: umlauts, ß ≡ ss, NFKC
    ['straße', 'Die Strasse ist gesperrt', true],
    ['strasse', 'STRASSE', true],
    ['strasse', 'Hauptstraße', false],
    ['öbb', 'Die ÖBB fährt', true],
    ['schön', 'schon wieder', false],
    ['müller', 'Herr Müller-Lüdenscheidt', true],
    ['müller', 'Herr Mu\u0308ller', true],
    ['slack', '𝐒𝐥𝐚𝐜𝐤 ist kaputt', true],
    ['niño', 'el niño', true],
    // handles and hashtags
    ['acme', '#acme is trending', true],
    ['acme', 'thanks @acme', true],
    ['@acme', 'thanks @acme', true],
    ['@acme', 'acme is great', false],
    ['@acme', '#acme is great', false],
    ['#acme', '#Acme is great', true],
    ['#acme', '@acme is great', false],
    ['acme', '@acme_help is slow', false],
    ['@acme_help', '@Acme_Help is slow', true],
    ['@acme', 'mail support@acme.com', false],
    ['acme', 'mail support@acme.com', true],
    ['#1', 'we are #1', true],
    // platform operators are ignored: the mention is judged on its words alone
    ['acme -is:retweet lang:de', 'acme rocks', true],
    ['acme -is:retweet lang:de', 'other brand', false],
    ['acme OR from:acme', 'anything at all', true],
  ])('%s ~ %j → %s', (query, text, expected) => {
    expect(matchesBrandQuery(parseBrandQuery(query), text)).toBe(expected)
  })

  it('drops the RSS entries of `slack -stock -shares` that contain "stock"', () => {
    const q = parseBrandQuery('slack -stock -shares')
    const entries = [
      'Slack outage: messages fail to send across Europe',
      'Slack stock jumps after earnings call',
      'Why Slack’s stock is falling today',
      'Is Slack stock a buy? Analysts weigh in',
      'Slack rolls out huddles for all workspaces',
      'Salesforce completes Slack acquisition; shares of CRM steady',
    ]
    expect(entries.filter((e) => matchesBrandQuery(q, e))).toEqual([entries[0], entries[4]])
  })

  it('tokenises the text the same way whatever the script around the words', () => {
    const q = parseBrandQuery('"acme air"')
    expect(['acme air', 'ACME—AIR', 'Acme · Air', 'acme\u00a0air', 'acme 🛫 air', '«Acme» „Air“'].map((t) => matchesBrandQuery(q, t))).toEqual([true, true, true, true, true, true])
  })
})

describe('excludedByBrandQuery (mentions scoped to the brand by other means: only the top-level exclusions count)', () => {
  it.each([
    ['slack -stock -shares', 'Slack stock jumps 10 %', true],
    ['slack -stock -shares', 'our team chat is down again', false],
    ['slack -"share price"', 'the share price of Slack', true],
    ['acme -(stock OR shares)', 'acme shares', true],
    ['acme', 'stock news', false],
    ['a OR (b -c)', 'c', false],
  ])('%s on %j: %s', (query, text, excluded) => {
    expect(excludedByBrandQuery(parseBrandQuery(query), text)).toBe(excluded)
  })
})

describe('parseBrandQueries (at config load)', () => {
  it('names the config file and brands[i].query of a bad query', () => {
    const brands = [{ name: 'A', query: 'acme' }, { name: 'B', query: '"open quote' }]
    expect(() => parseBrandQueries(brands, '/x/listen.config.json')).toThrow(UsageError)
    expect(() => parseBrandQueries(brands, '/x/listen.config.json')).toThrow(/^\/x\/listen\.config\.json: brands\[1\]\.query: query '"open quote': at character 1, /)
  })
  it('parses good ones in order', () => {
    expect(parseBrandQueries([{ query: 'a -b' }], null).map((q) => q.source)).toEqual(['a -b'])
  })
})
