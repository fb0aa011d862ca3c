// Data shapes (see README, Architecture).

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits
