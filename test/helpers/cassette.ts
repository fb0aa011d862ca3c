// Reads the recorded cassettes in ../shared/api-samples for contract tests.
// No YAML package is installed, so this is a minimal reader for the subset vcrpy and R vcr write:
// block mappings and sequences, plain / 'single' / "double" quoted scalars over several lines,
// and `!!binary |` blocks (tweepy stores gzip bodies that way). It is test-only on purpose.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'

type Yaml = string | number | boolean | null | Buffer | Yaml[] | { [key: string]: Yaml }

interface Line {
  indent: number
  text: string
}

export function parseYaml(source: string): Yaml {
  const lines: Line[] = source
    .split(/\r?\n/)
    .map((raw) => ({ indent: raw.length - raw.trimStart().length, text: raw.trim() }))
  let i = 0

  const skipBlank = () => {
    while (i < lines.length && (lines[i]!.text === '' || lines[i]!.text.startsWith('#'))) i++
  }

  function plain(value: string): Yaml {
    if (value === 'null' || value === '~' || value === '') return null
    if (value === 'true') return true
    if (value === 'false') return false
    if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value)
    return value
  }

  /** Collects the raw text of a quoted scalar that may continue on later lines. */
  function quoted(first: string, quote: "'" | '"'): string {
    const parts = [first.slice(1)]
    const closes = (s: string): number => {
      for (let k = 0; k < s.length; k++) {
        if (quote === "'" && s[k] === "'") {
          if (s[k + 1] === "'") k++
          else return k
        } else if (quote === '"' && s[k] === '\\') k++
        else if (quote === '"' && s[k] === '"') return k
      }
      return -1
    }
    let end = closes(parts[0]!)
    while (end < 0) {
      i++
      if (i >= lines.length) throw new Error('unterminated quoted scalar')
      parts.push(lines[i]!.text)
      end = closes(parts[parts.length - 1]!)
    }
    parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, end)
    return quote === "'" ? foldSingle(parts) : foldDouble(parts)
  }

  function foldSingle(parts: string[]): string {
    let out = ''
    parts.forEach((p, k) => {
      if (k > 0) out += p === '' ? '\n' : out.endsWith('\n') ? '' : ' '
      out += p.replaceAll("''", "'")
    })
    return out
  }

  function foldDouble(parts: string[]): string {
    let out = ''
    for (let k = 0; k < parts.length; k++) {
      let p = parts[k]!
      if (k > 0) {
        const prevEscapedBreak = parts[k - 1]!.endsWith('\\') && !parts[k - 1]!.endsWith('\\\\')
        if (!prevEscapedBreak) out += p === '' ? '\n' : out.endsWith('\n') ? '' : ' '
      }
      if (p.endsWith('\\') && !p.endsWith('\\\\') && k < parts.length - 1) p = p.slice(0, -1)
      out += unescapeDouble(p)
    }
    return out
  }

  function unescapeDouble(s: string): string {
    return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
      switch (e[0]) {
        case 'n':
          return '\n'
        case 't':
          return '\t'
        case 'r':
          return '\r'
        case '0':
          return '\0'
        case 'x':
        case 'u':
        case 'U':
          return String.fromCodePoint(parseInt(e.slice(1), 16))
        default:
          return e // \" \\ \/ and an escaped space
      }
    })
  }

  /** A scalar or nested node following `key:` or `- ` on the same line; `parent` is that line's indent. */
  function value(rest: string, parent: number): Yaml {
    if (rest === '') {
      i++
      skipBlank()
      if (i >= lines.length) return null
      const next = lines[i]!
      if (next.indent > parent || (next.indent === parent && next.text.startsWith('- '))) return block(next.indent)
      return null
    }
    if (rest.startsWith('!!binary')) {
      i++
      const chunks: string[] = []
      while (i < lines.length && (lines[i]!.indent > parent || lines[i]!.text === '')) chunks.push(lines[i++]!.text)
      return Buffer.from(chunks.join(''), 'base64')
    }
    if (rest === '|' || rest === '|-' || rest === '>') {
      i++
      const chunks: string[] = []
      while (i < lines.length && (lines[i]!.indent > parent || lines[i]!.text === '')) chunks.push(lines[i++]!.text)
      return chunks.join(rest === '>' ? ' ' : '\n')
    }
    if (rest.startsWith("'") || rest.startsWith('"')) {
      const v = quoted(rest, rest[0] as "'" | '"')
      i++
      return v
    }
    // Plain scalar, possibly continued on more-indented lines.
    const parts = [rest]
    i++
    while (i < lines.length && lines[i]!.indent > parent && lines[i]!.text !== '' && !/^[^'"\s][^:]*:( |$)/.test(lines[i]!.text)) {
      parts.push(lines[i++]!.text)
    }
    return plain(parts.join(' '))
  }

  function block(indent: number): Yaml {
    skipBlank()
    const first = lines[i]
    if (!first) return null
    if (first.text.startsWith('- ') || first.text === '-') {
      const seq: Yaml[] = []
      while (i < lines.length) {
        skipBlank()
        const line = lines[i]
        if (!line || line.indent !== indent || !(line.text.startsWith('- ') || line.text === '-')) break
        const rest = line.text.slice(2).trimStart()
        if (/^[^'"\s][^:]*:( |$)/.test(rest)) {
          // "- key: value" starts a mapping whose keys sit at indent + 2.
          lines[i] = { indent: indent + 2, text: rest }
          seq.push(block(indent + 2))
        } else seq.push(value(rest, indent))
      }
      return seq
    }
    const map: { [key: string]: Yaml } = {}
    while (i < lines.length) {
      skipBlank()
      const line = lines[i]
      if (!line || line.indent !== indent || line.text.startsWith('- ')) break
      const m = line.text.match(/^([^:]+?):(?: (.*))?$/)
      if (!m) throw new Error(`cannot read YAML line ${i + 1}: ${line.text}`)
      const key = m[1]!.replace(/^['"]|['"]$/g, '')
      map[key] = value((m[2] ?? '').trim(), indent)
    }
    return map
  }

  return block(0)
}

export interface RecordedInteraction {
  method: string
  uri: string
  status: number
  headers: Record<string, string>
  body: string
}

function flatHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      out[k.toLowerCase()] = Array.isArray(v) ? v.map(String).join(', ') : String(v)
    }
  }
  return out
}

/** Interactions of a vcrpy / R vcr (YAML) or betamax (JSON) cassette, bodies decoded to text. */
export function readCassette(file: string): RecordedInteraction[] {
  const text = readFileSync(file, 'utf8')
  const doc = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>
  type Raw = {
    request: { method: string; uri: string }
    response: { status: number | { code?: number; status_code?: number }; headers?: unknown; body?: { string?: unknown } }
  }
  const list = (doc.interactions ?? doc.http_interactions) as Raw[] | undefined
  if (!Array.isArray(list)) throw new Error(`${file}: no interactions`)
  return list.map((it) => {
    const res = it.response
    const status = typeof res.status === 'number' ? res.status : Number(res.status?.code ?? res.status?.status_code)
    const headers = flatHeaders(res.headers)
    let body: unknown = res.body?.string ?? ''
    if (Buffer.isBuffer(body)) body = (headers['content-encoding'] ?? '').includes('gzip') ? gunzipSync(body).toString('utf8') : body.toString('utf8')
    return { method: String(it.request.method).toUpperCase(), uri: String(it.request.uri), status, headers, body: String(body) }
  })
}

/** The first interaction whose URI contains `fragment`, parsed as JSON. */
export function cassetteJson<T = unknown>(file: string, fragment: string, nth = 0): { data: T; interaction: RecordedInteraction } {
  const found = readCassette(file).filter((x) => x.uri.includes(fragment))[nth]
  if (!found) throw new Error(`${file}: no interaction matching ${fragment}`)
  return { data: JSON.parse(found.body) as T, interaction: found }
}

/**
 * ../shared/api-samples/<platform>, or null when ../shared is absent. With CI set a missing
 * folder is an error, so contract tests fail instead of silently skipping.
 */
export function samplesDir(platform: string): string | null {
  const dir = resolve(process.cwd(), '../shared/api-samples', platform)
  if (existsSync(dir)) return dir
  if (process.env.CI) throw new Error(`contract samples missing: ${dir} (CI is set, so this is a failure)`)
  return null
}
