import {
  CleverBadResponseError,
  CleverError,
  CleverNetworkError,
  CleverRateLimitError,
  errorFromResponse,
  redactSecrets,
} from './clever-errors';

export type CleverApiVersion = 'v3.0' | 'v3.1';

export interface CleverRequestInfo {
  method: string;
  /** Path and query, without host (no credentials are ever in it). */
  path: string;
  /** HTTP status, or 0 when no response arrived (see `error`). */
  status: number;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  durationMs: number;
  error?: 'timeout' | 'network_error' | 'truncated_body';
}

export interface CleverHttpOptions {
  apiUrl?: string;
  oauthUrl?: string;
  version?: CleverApiVersion;
  timeoutMs?: number;
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected in tests to record backoff delays instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Returns [0, 1); injected in tests to make jitter deterministic. */
  random?: () => number;
  /** Epoch milliseconds; used to turn `X-RateLimit-Reset` and HTTP-date `Retry-After` into delays. */
  now?: () => number;
  /** Called once per HTTP attempt (metrics, tests counting Clever calls). Must not throw. */
  onRequest?: (info: CleverRequestInfo) => void;
  userAgent?: string;
}

export type CleverAuth = { bearer: string } | { basic: { username: string; password: string } };
export type QueryValue = string | number | boolean | readonly string[] | undefined | null;
export type QueryParams = Record<string, QueryValue>;

export interface CleverRequest {
  method?: 'GET' | 'POST';
  host?: 'api' | 'oauth';
  /** Absolute path, may carry a query string (as in Clever's `links`). */
  path: string;
  query?: QueryParams;
  auth: CleverAuth;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Defaults to true for GET, false otherwise (only idempotent requests are retried). */
  retry?: boolean;
  /** Extra values (e.g. an authorization code) that must never appear in an error. */
  secrets?: readonly string[];
}

export interface CleverResponse {
  status: number;
  /** Parsed JSON. */
  body: unknown;
  headers: Headers;
  /** The path and query that were requested. */
  path: string;
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

interface AttemptFailure {
  kind: 'timeout' | 'network_error' | 'truncated_body';
  cause: unknown;
}

/**
 * The transport under every Clever call: base URLs, auth headers, per-request timeouts, and retries with
 * full-jitter exponential backoff (stripe-node's seams). Retries only idempotent requests, and only on
 * network errors, timeouts, truncated bodies, 429 and 500/502/503/504.
 * NOTE: Clever says retry 429 after the window resets, back off on 500/502/503 and stop after 5 retries,
 * never retry 400/401/501 (clever-api.md §6; security-checklist.md §4.3).
 */
export class CleverHttp {
  readonly apiUrl: string;
  readonly oauthUrl: string;
  readonly version: CleverApiVersion;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly onRequest?: (info: CleverRequestInfo) => void;
  private readonly userAgent: string;

  constructor(options: CleverHttpOptions = {}) {
    this.apiUrl = trimSlash(options.apiUrl ?? 'https://api.clever.com');
    this.oauthUrl = trimSlash(options.oauthUrl ?? 'https://clever.com');
    this.version = options.version ?? 'v3.0';
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.onRequest = options.onRequest;
    this.userAgent = options.userAgent ?? 'clever-provisioner';
    if (this.version !== 'v3.0' && this.version !== 'v3.1') {
      throw new RangeError(`Unsupported Clever API version: ${String(this.version)}`);
    }
  }

  /** `/users` -> `/v3.0/users`; already versioned paths are returned unchanged. */
  apiPath(path: string): string {
    return /^\/v\d+\.\d+\//.test(path) ? path : `/${this.version}${path}`;
  }

  async request(req: CleverRequest): Promise<CleverResponse> {
    const method = req.method ?? 'GET';
    const url = this.buildUrl(req);
    const path = `${url.pathname}${url.search}`;
    const secrets = [...secretsOf(req.auth), ...(req.secrets ?? [])];
    const canRetry = req.retry ?? method === 'GET';
    const init = this.buildInit(method, req);

    for (let attempt = 1; ; attempt++) {
      const isLastAttempt = !canRetry || attempt > this.maxRetries;
      const started = this.now();
      const outcome = await this.attempt(url, init);
      const durationMs = Math.max(0, this.now() - started);

      if ('kind' in outcome) {
        this.report({ method, path, status: outcome.status, attempt, durationMs, error: outcome.kind });
        if (isLastAttempt) throw redactSecrets(this.failureError(outcome, path, attempt), secrets);
        await this.sleep(this.backoff(attempt));
        continue;
      }

      const { response, text } = outcome;
      this.report({ method, path, status: response.status, attempt, durationMs });
      if (response.status >= 200 && response.status < 300) {
        return {
          status: response.status,
          body: parseJson(text, path, secrets),
          headers: response.headers,
          path,
        };
      }
      if (!isLastAttempt && RETRYABLE_STATUSES.has(response.status)) {
        await this.sleep(this.retryDelay(attempt, response));
        continue;
      }
      const error = errorFromResponse(response.status, parseErrorBody(text), path);
      if (error instanceof CleverRateLimitError) {
        (error as { retryAfterMs?: number }).retryAfterMs = this.hintedDelay(response);
      }
      throw redactSecrets(withRequestId(error, response), secrets);
    }
  }

  private async attempt(
    url: URL,
    init: RequestInit,
  ): Promise<{ response: Response; text: string } | (AttemptFailure & { status: number })> {
    // One signal covers connect, headers and body: a server that drips bytes forever still times out.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal });
    } catch (cause) {
      return { kind: signal.aborted ? 'timeout' : 'network_error', cause, status: 0 };
    }
    try {
      return { response, text: await response.text() };
    } catch (cause) {
      // The connection died mid-body (e.g. Content-Length not honoured): as transient as a reset.
      return { kind: signal.aborted ? 'timeout' : 'truncated_body', cause, status: response.status };
    }
  }

  private failureError(failure: AttemptFailure, path: string, attempts: number): CleverError {
    const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
    if (failure.kind === 'truncated_body') {
      return new CleverBadResponseError(`Clever's answer for ${path} was cut off (${tries})`, {
        code: 'truncated_body',
        path,
        cause: failure.cause,
      });
    }
    const what = failure.kind === 'timeout' ? `timed out after ${this.timeoutMs} ms` : 'failed to connect';
    return new CleverNetworkError(`Request to Clever ${path} ${what} (${tries})`, {
      code: failure.kind,
      path,
      cause: failure.cause,
    });
  }

  private buildUrl(req: CleverRequest): URL {
    if (!req.path.startsWith('/')) throw new TypeError('Clever request path must start with "/"');
    const base = req.host === 'oauth' ? this.oauthUrl : this.apiUrl;
    const url = new URL(`${base}${req.path}`);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value === undefined || value === null) continue;
      const values = Array.isArray(value) ? value : [String(value)];
      for (const item of values) url.searchParams.append(key, item);
    }
    return url;
  }

  private buildInit(method: string, req: CleverRequest): RequestInit {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.userAgent,
      authorization: authorizationHeader(req.auth),
    };
    let body: string | undefined;
    if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    // Never follow redirects: a redirect to another host must not receive the Authorization header.
    return { method, headers, body, redirect: 'manual' };
  }

  /** Delay before retry number `attempt` (1-based) after a retryable status. */
  private retryDelay(attempt: number, response: Response): number {
    const hinted = this.hintedDelay(response);
    return hinted === undefined ? this.backoff(attempt) : Math.min(hinted, this.maxDelayMs);
  }

  /** Full jitter: random(0, min(cap, base * 2^(attempt-1))). */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  /**
   * The server's own wait hint: `Retry-After` (seconds or HTTP-date) on any retryable status, else, for 429,
   * `X-RateLimit-Reset` (Unix seconds) minus now.
   * NOTE: Clever documents X-RateLimit-Reset but not Retry-After (clever-api.md §6); honour both.
   */
  private hintedDelay(response: Response): number | undefined {
    const retryAfter = response.headers.get('retry-after')?.trim();
    if (retryAfter) {
      if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
      const date = Date.parse(retryAfter);
      if (!Number.isNaN(date)) return Math.max(0, date - this.now());
    }
    const reset = response.headers.get('x-ratelimit-reset')?.trim();
    if (response.status === 429 && reset && /^\d+(\.\d+)?$/.test(reset)) {
      return Math.max(0, Math.ceil(Number(reset) * 1000 - this.now()));
    }
    return undefined;
  }

  private report(info: CleverRequestInfo): void {
    try {
      this.onRequest?.(info);
    } catch {
      // A metrics hook must never break a sync.
    }
  }
}

function authorizationHeader(auth: CleverAuth): string {
  if ('bearer' in auth) return `Bearer ${auth.bearer}`;
  // NOTE: Clever expects plain `client_id:client_secret` in HTTP Basic (clever-api.md §2.4).
  return `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64')}`;
}

function secretsOf(auth: CleverAuth): string[] {
  return 'bearer' in auth ? [auth.bearer] : [auth.basic.password];
}

function parseJson(text: string, path: string, secrets: readonly string[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // No `cause`: V8's SyntaxError message quotes the body, which may hold student data.
    const error = new CleverBadResponseError(`Clever's answer for ${path} is not valid JSON`, {
      code: 'invalid_json',
      path,
    });
    throw redactSecrets(error, secrets);
  }
}

function parseErrorBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function withRequestId<E extends CleverError>(error: E, response: Response): E {
  const requestId = response.headers.get('x-request-id');
  if (requestId) (error as { requestId?: string }).requestId = requestId;
  return error;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
