// Posting to a webhook (Slack-compatible incoming webhooks and the like) with the project's client.
import type { Dispatcher } from 'undici'
import { createHttp } from './client.js'
import type { HttpEvent } from './types.js'

/** A webhook URL is a credential (Slack's path is the secret): errors show only its origin. */
export function webhookSecrets(url: string): string[] {
  const u = new URL(url)
  const rest = `${u.pathname}${u.search}`.replace(/^\//, '')
  return [rest, ...rest.split(/[/?&=]/)].filter((s) => s.length >= 4)
}

export interface WebhookPost {
  url: string
  /** The JSON body, already rendered. */
  body: string
  /**
   * Sent as the Idempotency-Key header: the same key for the same alerts on every try, so a
   * receiver drops a repeat (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/).
   */
  idempotencyKey: string
  /** How long to wait for the receiver's answer (default 30 s). */
  timeoutMs?: number | undefined
  version: string
  dispatcher?: Dispatcher | undefined
  onEvent?: ((e: HttpEvent) => void) | undefined
}

/**
 * POSTs the body as JSON; throws an HttpError (secrets redacted) when the receiver does not take
 * it, MaybeDelivered when it may have (no answer in time): that post is not repeated in this run.
 */
export async function postWebhook(p: WebhookPost): Promise<void> {
  const timeouts = p.timeoutMs === undefined ? {} : { headersTimeoutMs: p.timeoutMs, bodyTimeoutMs: p.timeoutMs }
  const http = createHttp({ version: p.version, dispatcher: p.dispatcher, maxRetries: 2, onEvent: p.onEvent, ...timeouts })
  try {
    await http.request({
      url: p.url,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': p.idempotencyKey },
      body: p.body,
      secrets: webhookSecrets(p.url),
      source: 'webhook',
      resend: 'if-unsent',
    })
  } finally {
    await http.close()
  }
}
