// Rows of an audit scan held back before they go to the caller's step function: column-wise, the
// strings as small ids (about 28 bytes a row). SQLite holds them while the reply walk still runs
// on its thread; PostgreSQL until the cursor is read to the end, so a lost connection can be
// retried without counting a row twice.

export class ScanBuffer {
  private cap = 1 << 14
  n = 0
  /** A number per row the owner gives meaning to: SQLite's rowid, PostgreSQL's answer time (NaN: none). */
  num = new Float64Array(this.cap)
  at = new Float64Array(this.cap)
  keys = new Uint32Array(this.cap * 3)
  private readonly ids = new Map<string, number>()
  readonly names: string[] = []

  private id(s: string): number {
    let i = this.ids.get(s)
    if (i === undefined) this.ids.set(s, (i = this.names.push(s) - 1))
    return i
  }

  add(num: number, source: string, at: number, label: string, topic: string): void {
    if (this.n === this.cap) {
      this.cap *= 2
      const grow = <T extends Float64Array | Uint32Array>(a: T, b: T): T => (b.set(a), b)
      this.num = grow(this.num, new Float64Array(this.cap))
      this.at = grow(this.at, new Float64Array(this.cap))
      this.keys = grow(this.keys, new Uint32Array(this.cap * 3))
    }
    const k = this.n * 3
    this.keys[k] = this.id(source)
    this.keys[k + 1] = this.id(label)
    this.keys[k + 2] = this.id(topic)
    this.num[this.n] = num
    this.at[this.n++] = at
  }

  /** Hands every row to `fn` in the order added, then empties the buffer (its arrays are kept). */
  drain(fn: (num: number, source: string, at: number, label: string, topic: string) => void): void {
    const { names, keys, num, at } = this
    for (let i = 0; i < this.n; i++) {
      const k = i * 3
      fn(num[i]!, names[keys[k]!]!, at[i]!, names[keys[k + 1]!]!, names[keys[k + 2]!]!)
    }
    this.n = 0
  }

  /** Forgets the rows (a scan that starts again). */
  clear(): void {
    this.n = 0
  }
}
