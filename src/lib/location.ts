// Where a database lives: a file path (SQLite) or a URL (a database server). Pure.

export type DatabaseLocation = { kind: 'file'; path: string } | { kind: 'url'; scheme: string; url: string }

// A Windows drive letter ("C:\…") is a path, not a one-letter scheme.
const URL_RE = /^([a-z][a-z0-9+.-]+):\/\//i

export function parseDatabaseLocation(value: string): DatabaseLocation {
  const m = URL_RE.exec(value)
  return m ? { kind: 'url', scheme: m[1]!.toLowerCase(), url: value } : { kind: 'file', path: value }
}

/** A URL as it may be shown: the password replaced by ***. */
export function redactLocation(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]+:\/\/[^:/@]*:)[^@/]*@/i, '$1***@')
}
