// Mention text comes from strangers: never let it drive the terminal or a spreadsheet.

// CSI/OSC/other escape sequences, then any remaining C0/C1 control and bidi-override characters.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** For terminal output: strips escapes and control characters; newlines and tabs become spaces. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(ANSI, '').replace(CONTROL, '').replace(/[\n\t]+/g, ' ')
}

/**
 * For CSV cells: a leading = + - @ (or tab / CR) makes spreadsheets evaluate the cell as a formula
 * (OWASP "CSV injection"); a leading apostrophe keeps it text.
 */
export function neutralizeCsvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}
