// Mention text comes from strangers: never let it drive the terminal or a spreadsheet.

// CSI/OSC/other escape sequences (and a lone ESC or C1 CSI left over).
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]|[\u001b\u009b]/g
// Remaining C0/C1 controls, bidi controls (embeddings, overrides, isolates, marks) and invisible
// characters that can hide text (zero-width space, word joiner, invisible operators, BOM). ZWNJ and
// ZWJ (U+200C, U+200D) stay: they shape Persian and Indic words and join emoji sequences.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g

/** For terminal output: strips escapes, control, bidi and zero-width characters; newlines and tabs become spaces. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(ESCAPES, '').replace(/[\r\n\t]+/g, ' ').replace(CONTROL, '')
}

/** For CSV and TSV cells: terminal escape sequences go; line breaks and tabs are data and stay (quoted). */
export function stripEscapes(text: string): string {
  return text.replace(ESCAPES, '')
}

// A formula trigger after any leading whitespace or control characters: Excel and LibreOffice skip
// those, so "\r=1+1" or " =1+1" would still run (OWASP "CSV injection").
// eslint-disable-next-line no-control-regex
const FORMULA = /^[\s\u0000-\u001f\u007f-\u009f]*[=+\-@]|^[\t\r]/

/** A leading apostrophe keeps a cell that a spreadsheet would evaluate as text. */
export function neutralizeCsvCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value
}
