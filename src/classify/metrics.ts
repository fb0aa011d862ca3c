// Pure evaluation: accuracy, per-class precision/recall/F1, macro-F1 and a confusion matrix.

export interface ClassMetrics {
  label: string
  precision: number
  recall: number
  f1: number
  /** Gold count. */
  support: number
}

export interface Evaluation {
  labels: string[]
  total: number
  accuracy: number
  perClass: ClassMetrics[]
  /** Mean F1 over the labels that occur in gold or predictions. */
  macroF1: number
  /** confusion[gold][predicted], rows and columns in `labels` order. */
  confusion: number[][]
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b)

/**
 * Scores (gold, predicted) pairs. `labels` fixes the order of rows/columns; labels that appear
 * in neither gold nor predictions are left out of macro-F1 (they have no defined F1).
 */
export function evaluate(pairs: Iterable<readonly [gold: string, predicted: string]>, labels?: readonly string[]): Evaluation {
  const list = [...pairs]
  const order = labels ? [...labels] : []
  for (const [g, p] of list) {
    if (!order.includes(g)) order.push(g)
    if (!order.includes(p)) order.push(p)
  }
  const index = new Map(order.map((l, i) => [l, i]))
  const confusion = order.map(() => new Array<number>(order.length).fill(0))
  let correct = 0
  for (const [g, p] of list) {
    confusion[index.get(g)!]![index.get(p)!]! += 1
    if (g === p) correct++
  }
  const perClass: ClassMetrics[] = order.map((label, i) => {
    const tp = confusion[i]![i]!
    const support = confusion[i]!.reduce((a, b) => a + b, 0)
    const predicted = confusion.reduce((a, row) => a + row[i]!, 0)
    const precision = ratio(tp, predicted)
    const recall = ratio(tp, support)
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support }
  })
  const present = perClass.filter((m, i) => m.support > 0 || confusion.some((row) => row[i]! > 0))
  const macroF1 = ratio(
    present.reduce((a, m) => a + m.f1, 0),
    present.length,
  )
  return { labels: order, total: list.length, accuracy: ratio(correct, list.length), perClass, macroF1, confusion }
}

/** F1 of one class treated as positive against everything else. */
export function binaryF1(pairs: Iterable<readonly [gold: boolean, predicted: boolean]>): { precision: number; recall: number; f1: number } {
  let tp = 0
  let fp = 0
  let fn = 0
  for (const [g, p] of pairs) {
    if (g && p) tp++
    else if (p) fp++
    else if (g) fn++
  }
  const precision = ratio(tp, tp + fp)
  const recall = ratio(tp, tp + fn)
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall) }
}
