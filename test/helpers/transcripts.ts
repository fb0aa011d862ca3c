// The README's console transcripts as tests: a fenced block after `<!-- transcript: NAME -->` is a
// list of `$ command` lines, each followed by the output a terminal shows (stdout and stderr as they
// come). Blocks with the same NAME share one working directory, in README order. In expected output
// a line "…" (indented or not) stands for any number of lines, and "…" inside a line for any text;
// /home/me/care stands for the working directory.

export interface Step {
  command: string
  expected: string[]
  /** Line of the command in the README (1-based), for messages. */
  line: number
}

export interface Transcript {
  name: string
  steps: Step[]
}

const MARK = /^<!--\s*transcript:\s*([\w-]+)\s*-->\s*$/

export function parseTranscripts(markdown: string): Transcript[] {
  const lines = markdown.split('\n')
  const byName = new Map<string, Transcript>()
  for (let i = 0; i < lines.length; i++) {
    const m = MARK.exec(lines[i]!)
    if (!m) continue
    let j = i + 1
    while (j < lines.length && !lines[j]!.trim()) j++
    if (!/^```/.test(lines[j] ?? '')) throw new Error(`README line ${i + 1}: transcript "${m[1]}" is not followed by a fenced block`)
    const body: Array<{ text: string; line: number }> = []
    for (j++; j < lines.length && !/^```\s*$/.test(lines[j]!); j++) body.push({ text: lines[j]!, line: j + 1 })
    const t = byName.get(m[1]!) ?? { name: m[1]!, steps: [] }
    byName.set(t.name, t)
    t.steps.push(...parseSteps(body))
    i = j
  }
  return [...byName.values()]
}

function parseSteps(body: ReadonlyArray<{ text: string; line: number }>): Step[] {
  const steps: Step[] = []
  for (let k = 0; k < body.length; k++) {
    const { text, line } = body[k]!
    if (!text.startsWith('$ ')) {
      if (!steps.length) throw new Error(`README line ${line}: output before the first "$ " command`)
      steps[steps.length - 1]!.expected.push(text.trimEnd())
      continue
    }
    let command = text.slice(2)
    while (command.endsWith('\\') && k + 1 < body.length) command = `${command.slice(0, -1)} ${body[++k]!.text.trim()}`
    const heredoc = /<<-?\s*'?(\w+)'?/.exec(command)
    if (heredoc) {
      const lines = [command]
      while (k + 1 < body.length) {
        const next = body[++k]!.text
        lines.push(next)
        if (next.trim() === heredoc[1]) break
      }
      command = lines.join('\n')
    }
    steps.push({ command, expected: [], line })
  }
  for (const s of steps) while (s.expected.length && !s.expected[s.expected.length - 1]) s.expected.pop()
  return steps
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

function lineMatches(expected: string, actual: string): boolean {
  if (!expected.includes('…')) return expected === actual
  return new RegExp(`^${expected.split('…').map(escape).join('.*')}$`).test(actual)
}

/** Does `actual` fit `expected`, where a line "…" matches any run of lines (none included)? */
export function outputMatches(expected: readonly string[], actual: readonly string[]): boolean {
  const memo = new Map<string, boolean>()
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`
    const hit = memo.get(key)
    if (hit !== undefined) return hit
    let ok: boolean
    if (i === expected.length) ok = j === actual.length
    else if (expected[i]!.trim() === '…') ok = go(i + 1, j) || (j < actual.length && go(i, j + 1))
    else ok = j < actual.length && lineMatches(expected[i]!, actual[j]!) && go(i + 1, j + 1)
    memo.set(key, ok)
    return ok
  }
  return go(0, 0)
}
