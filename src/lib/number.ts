// Small pure helpers without a domain (src/lib, ground floor). This file: rounding for figures people read.
export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits
