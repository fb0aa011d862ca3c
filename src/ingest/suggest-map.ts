// A --map guessed from a file's column names, for the hint after rows failed on missing columns. Pure.
import type { MentionField } from './map.js'

/** How --map negates a boolean column (map.ts): the one place to change when another spelling lands. */
export const NEGATION = 'not:'

/** Column names (lower case, letters and digits only) that usually hold a field, best first. */
const CANDIDATES: ReadonlyArray<[MentionField, readonly string[]]> = [
  ['id', ['id', 'tweetid', 'postid', 'statusid', 'messageid', 'commentid', 'mentionid', 'itemid', 'uuid']],
  ['source', ['source', 'platform', 'network', 'channel']],
  ['brand', ['brand', 'company']],
  ['author', ['author', 'username', 'user', 'screenname', 'authorname', 'handle', 'authorid', 'userid']],
  ['author_id', ['authorid', 'userid']],
  ['created_at', ['createdat', 'created', 'date', 'datetime', 'timestamp', 'time', 'postedat', 'publishedat', 'createdtime']],
  ['text', ['text', 'body', 'content', 'message', 'fulltext', 'tweet', 'tweettext', 'comment', 'post']],
  ['url', ['url', 'link', 'permalink']],
  ['lang', ['lang', 'language']],
  ['in_reply_to', ['inreplyto', 'inresponsetotweetid', 'inreplytostatusid', 'inreplytotweetid', 'inreplytoid', 'replyto', 'parentid', 'inresponseto']],
  ['thread_id', ['threadid', 'conversationid']],
  ['by_brand', ['bybrand', 'isbrand', 'frombrand', 'outbound']],
  ['label', ['label', 'category', 'class']],
]
/** Boolean columns that mean the opposite of by_brand: a customer's post. */
const NEGATED_BY_BRAND = ['inbound', 'fromcustomer', 'iscustomer']

const key = (column: string) => column.toLowerCase().replace(/[^a-z0-9]/g, '')

/** field=column pairs for the columns that look like mention fields; each column used once. */
export function suggestFieldMap(columns: readonly string[]): string[] {
  const free = new Map<string, string>()
  for (const c of columns) if (!free.has(key(c))) free.set(key(c), c)
  const pairs: string[] = []
  for (const [field, names] of CANDIDATES) {
    let found = names.find((n) => free.has(n))
    let column = found === undefined ? undefined : free.get(found)
    let negate = false
    if (column === undefined && field === 'by_brand') {
      found = NEGATED_BY_BRAND.find((n) => free.has(n))
      column = found === undefined ? undefined : free.get(found)
      negate = column !== undefined
    }
    if (column === undefined || found === undefined) continue
    free.delete(found)
    pairs.push(`${field}=${negate ? NEGATION : ''}${column}`)
  }
  return pairs
}

/** The --map argument as a shell line, quoted when it holds characters a shell would read. */
export function formatMapFlag(pairs: readonly string[]): string {
  const value = pairs.join(',')
  return /^[\w=,.:-]+$/.test(value) ? `--map ${value}` : `--map '${value.replace(/'/g, `'\\''`)}'`
}
