// Data shapes (see README, Architecture).

export function splitList(values: string[] | undefined): string[] | undefined {
  const out = values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  return out?.length ? out : undefined
}
