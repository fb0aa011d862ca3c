// Typed errors. Only src/cli/main.ts turns them into exit codes.

/** Exit 2: bad flags, bad config, bad arguments. */
export class UsageError extends Error {
  override name = 'UsageError'
  readonly exitCode = 2
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** Any failure with a chosen exit code (1 = something failed, other work was saved). */
export class ExitError extends Error {
  override name = 'ExitError'
  constructor(
    message: string,
    readonly exitCode: number = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Why a database refused a write (or a read): named in the message, so no one blames the input file. */
export type StoreFault = 'disk-full' | 'read-only' | 'locked' | 'cannot-open' | 'io'

/** Exit 1: the database failed (disk full, read-only, locked…); `message` names the database and the cause. */
export class StoreError extends ExitError {
  override name = 'StoreError'
  constructor(
    message: string,
    readonly location: string,
    readonly fault: StoreFault,
    options?: { cause?: unknown },
  ) {
    super(message, 1, options)
  }
}

/** An HTTP request that failed; `url` must already be redacted. */
export class HttpError extends Error {
  override name = 'HttpError'
  readonly exitCode = 1
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export function exitCodeOf(error: unknown): number {
  if (error && typeof error === 'object' && 'exitCode' in error && typeof error.exitCode === 'number') {
    return error.exitCode
  }
  return 1
}
