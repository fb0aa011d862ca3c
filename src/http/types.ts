// The HTTP seam between adapters and the network. The implementation (client.ts) adds timeouts,
// retries with backoff + jitter, the rate-limit governor, per-host limits, User-Agent and redaction.

export interface HttpRequest {
  /** Absolute URL. */
  url: string
  method?: 'GET' | 'POST' | undefined
  headers?: Record<string, string> | undefined
  body?: string | undefined
  /** Secret values (tokens, keys) that must never appear in errors or logs. */
  secrets?: readonly string[] | undefined
  /** Statuses returned to the caller instead of thrown (e.g. 304 for conditional GET). */
  okStatuses?: readonly number[] | undefined
  /** Source name (e.g. "reddit"): prefixes error messages and keys the per-source stats. */
  source?: string | undefined
  /**
   * 'if-unsent': retry a transport failure only when the request cannot have reached the server
   * (refused, unresolved, connect timeout); after a timeout or reset it may have arrived, and
   * MaybeDelivered is thrown instead of sending it again. For POSTs that must not arrive twice.
   */
  resend?: 'always' | 'if-unsent' | undefined
}

export interface HttpResponse {
  status: number
  /** The request URL with secrets redacted: safe to print. */
  url: string
  /** Lower-cased header names. */
  headers: Record<string, string>
  body: string
}

export interface Http {
  request(req: HttpRequest, signal?: AbortSignal): Promise<HttpResponse>
  /** request() + JSON parse; a non-JSON body (e.g. an HTML error page with status 200) throws HttpError. */
  json<T = unknown>(req: HttpRequest, signal?: AbortSignal): Promise<{ data: T; response: HttpResponse }>
}

/** What a run record reports about one source's (or all) traffic. */
export interface HttpStats {
  requests: number
  retries: number
  rateLimitWaits: number
  rateLimitWaitMs: number
  deferrals: number
}

export type HttpEvent =
  | { type: 'request'; source: string | null; method: string; url: string; attempt: number }
  | { type: 'response'; source: string | null; method: string; url: string; status: number; ms: number }
  | { type: 'retry'; source: string | null; method: string; url: string; attempt: number; delayMs: number; reason: string }
  | { type: 'rate-limit-wait'; source: string | null; host: string; url: string; waitMs: number }
  | { type: 'deferred'; source: string | null; host: string; url: string; resetAt: number }
