import { isPlainObject } from './clever-types';
import type { CleverValidationIssue } from './schema-helpers';

// A small closed set of errors with stable codes. Messages carry the HTTP status, the request path and
// Clever's own short message, never credentials: callers may log them as they are.

export interface CleverErrorOptions {
  code: string;
  status?: number;
  path?: string;
  requestId?: string;
  cause?: unknown;
}

export class CleverError extends Error {
  /** Stable, machine-readable reason (e.g. `rate_limited`, `pagination_loop`, `invalid_grant`). */
  readonly code: string;
  readonly status?: number;
  readonly path?: string;
  /** Clever's `x-request-id`, useful when reporting a problem to Clever. */
  readonly requestId?: string;

  constructor(message: string, options: CleverErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status;
    this.path = options.path;
    this.requestId = options.requestId;
  }

  /** Only the safe fields: `cause` may be a low-level error whose properties we do not control. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, status: this.status, path: this.path, message: this.message };
  }
}

/** 401: the token is invalid, revoked or of the wrong kind. Not retried by CleverHttp. */
export class CleverAuthError extends CleverError {}

/** 404: unshared, deleted or unknown record, or an endpoint the token cannot read. */
export class CleverNotFoundError extends CleverError {}

/** 429 still returned after all retries. */
export class CleverRateLimitError extends CleverError {
  /** How long Clever asked us to wait on the last 429, when it said so. */
  readonly retryAfterMs?: number;
  constructor(message: string, options: CleverErrorOptions & { retryAfterMs?: number }) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 5xx (after retries for 500/502/503/504; at once for 501 and others). */
export class CleverServerError extends CleverError {}

/** Connection failure or timeout, after retries. `code` is `timeout` or `network_error`. */
export class CleverNetworkError extends CleverError {}

/** A 2xx answer we cannot use: malformed or truncated JSON, a schema-invalid envelope, a pagination loop. */
export class CleverBadResponseError extends CleverError {
  readonly issues?: CleverValidationIssue[];
  constructor(message: string, options: CleverErrorOptions & { issues?: CleverValidationIssue[] }) {
    super(message, options);
    this.issues = options.issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Any other 4xx (400, 403, 413, ...): a bug on our side; never retried. */
export class CleverRequestError extends CleverError {}

/** OAuth endpoint error `{error, error_description}`; `code` is Clever's `error` (e.g. `invalid_grant`). */
export class OAuthError extends CleverError {
  readonly description?: string;
  constructor(message: string, options: CleverErrorOptions & { description?: string }) {
    super(message, options);
    this.description = options.description;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), description: this.description };
  }
}

const MAX_DETAIL_LENGTH = 200;

/**
 * Maps a non-2xx response to an error. `body` is the parsed JSON when the body was JSON, else the raw text.
 * NOTE: Data API errors are `{"message": ...}`, OAuth errors `{error, error_description}`, and unknown routes
 * or wrong token types answer with an HTML 404 page (clever-api.md §6); 429 has an empty body.
 */
export function errorFromResponse(status: number, body: unknown, path: string): CleverError {
  const options = { status, path };
  if (isPlainObject(body) && typeof body.error === 'string' && body.error !== '') {
    const description = typeof body.error_description === 'string' ? body.error_description : undefined;
    return new OAuthError(describe(status, path, `${body.error}${description ? `: ${description}` : ''}`), {
      ...options,
      code: body.error,
      description,
    });
  }

  const message = describe(status, path, detailOf(body));
  if (status === 401) return new CleverAuthError(message, { ...options, code: 'unauthorized' });
  if (status === 404) return new CleverNotFoundError(message, { ...options, code: 'not_found' });
  if (status === 429) return new CleverRateLimitError(message, { ...options, code: 'rate_limited' });
  if (status === 501) return new CleverServerError(message, { ...options, code: 'not_implemented' });
  if (status >= 500) return new CleverServerError(message, { ...options, code: 'server_error' });
  if (status === 400) return new CleverRequestError(message, { ...options, code: 'bad_request' });
  if (status === 403) return new CleverRequestError(message, { ...options, code: 'forbidden' });
  // NOTE: 413 means `limit` > 10000 (clever-api.md §4.2, §6).
  if (status === 413) return new CleverRequestError(message, { ...options, code: 'limit_too_large' });
  if (status >= 400) return new CleverRequestError(message, { ...options, code: 'request_failed' });
  return new CleverBadResponseError(message, { ...options, code: 'unexpected_status' });
}

function describe(status: number, path: string, detail: string | undefined): string {
  return `Clever answered ${status} for ${path}${detail ? `: ${detail}` : ''}`;
}

function detailOf(body: unknown): string | undefined {
  if (isPlainObject(body) && typeof body.message === 'string') return truncate(body.message);
  // HTML error pages are noise in a log line; the status says enough.
  return undefined;
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

/**
 * Replaces every occurrence of the given secrets in the error's message-like fields. Defence in depth: Clever
 * should never echo a token, code or secret, but an emulator or proxy might.
 */
export function redactSecrets<E extends CleverError>(error: E, secrets: readonly string[]): E {
  const usable = secrets.filter((secret) => secret.length >= 4);
  if (usable.length === 0) return error;
  const scrub = (text: string) => usable.reduce((acc, secret) => acc.split(secret).join('[REDACTED]'), text);
  error.message = scrub(error.message);
  if (error.stack) error.stack = scrub(error.stack);
  if (error.path) (error as { path?: string }).path = scrub(error.path);
  if (error instanceof OAuthError && error.description) {
    (error as { description?: string }).description = scrub(error.description);
  }
  return error;
}
