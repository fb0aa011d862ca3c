// Secrets never reach an error message, a log line or a stored URL.

const SECRET_PARAMS = new Set([
  'access_token',
  'token',
  'key',
  'api_key',
  'apikey',
  'client_secret',
  'password',
  'refresh_token',
  'auth',
])

export const REDACTED = '***'

/** Replaces every occurrence of each secret (raw and URL-encoded) in `text`. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; real tokens are longer.
    if (secret.length < 4) continue
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join(REDACTED)
    }
  }
  return out
}

/** A URL safe to print: secret query parameters masked, then every known secret value. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  let out = url
  try {
    const parsed = new URL(url)
    let changed = false
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.has(name.toLowerCase())) {
        parsed.searchParams.set(name, REDACTED)
        changed = true
      }
    }
    if (parsed.password) {
      parsed.password = REDACTED
      changed = true
    }
    if (changed) out = parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED)
  } catch {
    // Not a URL: fall through to value redaction.
  }
  return redactText(out, secrets)
}
