/** One error type with a stable code; subclasses only where callers branch on them. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('validation', message, options);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** A platform refused or failed a call. `blocked`: the person blocked the bot. */
export class ChannelError extends AppError {
  constructor(
    code: 'blocked' | 'bad_request' | 'unavailable' | 'unauthorized' | 'not_found',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`channel_${code}`, message, options);
  }
}

export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super('rate_limited', `rate limited, retry after ${retryAfterMs} ms`, options);
  }
}

/** Another handler changed the same conversation first; the event is retried. */
export class ConflictError extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/** The database could not be reached; the event must not be acknowledged as handled. */
export class StorageUnavailableError extends AppError {
  constructor(options?: { cause?: unknown }) {
    super('storage_unavailable', 'the database is unreachable', options);
  }
}

/**
 * A stored document does not have the shape of its domain type (written by a bug, by hand or by an
 * older version): reading it stops here, naming it, rather than passing a wrong value into a flow.
 */
export class CorruptDocumentError extends AppError {
  constructor(
    readonly collection: string,
    readonly id: string,
    problems: string,
    options?: { cause?: unknown },
  ) {
    super('corrupt_document', `${collection} ${id}: ${problems}`, options);
  }
}
