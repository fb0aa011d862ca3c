import { HttpError } from '../models/errors.js'

/**
 * A request that may have reached the server before it failed (a timeout waiting for the answer, a
 * reset): with `resend: 'if-unsent'` it is not sent again; the caller decides (webhooks: next run).
 */
export class MaybeDelivered extends HttpError {
  override name = 'MaybeDelivered'
}

/**
 * A rate limit whose reset lies further away than the caller is willing to wait (`--max-wait`).
 * The fetch command catches it, leaves the source's cursor untouched and tries again next run.
 */
export class RateLimitDeferred extends HttpError {
  override name = 'RateLimitDeferred'
  constructor(
    message: string,
    url: string,
    /** Epoch ms at which the host said it will accept requests again. */
    readonly resetAt: number,
    readonly host: string,
    readonly source: string | null,
  ) {
    super(message, url, 429)
  }
}
