// Reading ../shared/datasets/dev for the dev tools (dev-eval, dev-silver, dev-tune) and the
// dev-silver test: one place for the paths and the label mappings. Never eval/.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
export const DEV = path.resolve(here, '../../../shared/datasets/dev')
export const FIVE = ['outage', 'complaint', 'question', 'praise', 'other']

const readJsonl = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))

/** The rows of ../shared/datasets/dev/<name>. */
export const readDev = (name) => readJsonl(path.join(DEV, name))

// GermEval in five classes as datasets/README.md says: irrelevant → other; negative → complaint, or
// outage with a disruption aspect; positive → praise; neutral → other (it has no question gold).
const DISRUPTION = /Störung|Sonstige_Unregelm|Connectivity/
export const germevalGold5 = (r) =>
  r.relevant === false ? 'other' : r.sentiment === 'positive' ? 'praise' : r.sentiment === 'negative' ? ((r.aspects ?? []).some((a) => DISRUPTION.test(a)) ? 'outage' : 'complaint') : 'other'

/**
 * Our five-class labels (test/classify/dev-silver/<lang>.jsonl, ids only; `annotator` 'b' reads the
 * second annotator's <lang>.b.jsonl) joined with the texts in ../shared: [{ text, lang, gold, confident }].
 */
export function loadDevSilver(lang, annotator = '') {
  const labels = readJsonl(path.join(here, 'dev-silver', `${lang}${annotator ? `.${annotator}` : ''}.jsonl`))
  const texts = new Map()
  for (const file of new Set(labels.map((l) => l.file))) for (const r of readDev(`${file}.jsonl`)) texts.set(`${file}:${r.id}`, r.text)
  return labels.map((l) => {
    const text = texts.get(`${l.file}:${l.id}`)
    if (text === undefined) throw new Error(`dev-silver ${lang}: ${l.file}:${l.id} not found in ../shared/datasets/dev`)
    return { key: `${l.file}:${l.id}`, text, lang, gold: l.label, confident: l.confident }
  })
}

export function scoreDevSilver(tagger, evaluate, rows) {
  return evaluate(rows.map((r) => [r.gold, tagger.classify(r.text, r.lang).label]), FIVE)
}

/** Cohen's kappa of two label lists: agreement beyond what the two label shares give by chance. */
export function cohenKappa(a, b) {
  const n = a.length
  let same = 0
  const ca = new Map()
  const cb = new Map()
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) same++
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1)
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1)
  }
  let chance = 0
  for (const [l, x] of ca) chance += (x / n) * ((cb.get(l) ?? 0) / n)
  return (same / n - chance) / (1 - chance)
}
