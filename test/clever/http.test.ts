import {
  CleverAuthError,
  CleverBadResponseError,
  CleverHttp,
  CleverNetworkError,
  CleverNotFoundError,
  CleverRateLimitError,
  CleverRequestError,
  CleverServerError,
  type CleverHttpOptions,
  type CleverRequestInfo,
} from '../../src/clever/clever-clients';
import {
  recordingSleep,
  sendEmpty,
  sendJson,
  startFakeClever,
  type FakeClever,
  type FakeHandler,
} from './helpers/fake-clever';

const TOKEN = 'tok_CANARY_9f2_district_token';

let server: FakeClever | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: FakeHandler, options: CleverHttpOptions = {}) {
  server = await startFakeClever(handler);
  const { delays, sleep } = recordingSleep();
  const calls: CleverRequestInfo[] = [];
  const http = new CleverHttp({
    apiUrl: server.url,
    oauthUrl: server.url,
    random: () => 0.5,
    sleep,
    onRequest: (info) => calls.push(info),
    ...options,
  });
  const get = () => http.request({ path: http.apiPath('/schools'), auth: { bearer: TOKEN } });
  return { http, delays, calls, get, requests: server.requests };
}

const ok = { data: [], links: [] };

describe('CleverHttp retries', () => {
  it('honours Retry-After seconds on 429, then succeeds: 2 requests, waited at least the hint', async () => {
    const { get, delays, requests } = await setup((_req, res, i) =>
      i === 0 ? sendEmpty(res, 429, { 'retry-after': '1' }) : sendJson(res, 200, ok),
    );
    await expect(get()).resolves.toMatchObject({ status: 200, body: ok });
    expect(requests).toHaveLength(2);
    expect(delays).toEqual([1000]);
  });

  it('honours an HTTP-date Retry-After and falls back to X-RateLimit-Reset minus now', async () => {
    const now = Date.UTC(2024, 0, 1, 12, 0, 0);
    const { get, delays } = await setup(
      (_req, res, i) => {
        if (i === 0) return sendEmpty(res, 429, { 'retry-after': new Date(now + 3000).toUTCString() });
        if (i === 1) return sendEmpty(res, 429, { 'x-ratelimit-reset': String(now / 1000 + 7) });
        return sendJson(res, 200, ok);
      },
      { now: () => now },
    );
    await get();
    expect(delays).toEqual([3000, 7000]);
  });

  it('caps a server-requested wait at maxDelayMs', async () => {
    const { get, delays } = await setup(
      (_req, res, i) => (i === 0 ? sendEmpty(res, 429, { 'retry-after': '3600' }) : sendJson(res, 200, ok)),
      { maxDelayMs: 2000 },
    );
    await get();
    expect(delays).toEqual([2000]);
  });

  it('503 three times then 200: 4 requests with growing, jittered delays', async () => {
    const { get, delays, requests } = await setup(
      (_req, res, i) => (i < 3 ? sendJson(res, 503, { message: 'unavailable' }) : sendJson(res, 200, ok)),
      { random: () => 0.75, baseDelayMs: 100 },
    );
    await get();
    expect(requests).toHaveLength(4);
    // full jitter: random * min(cap, base * 2^n) -> 0.75 * 100, 200, 400
    expect(delays).toEqual([75, 150, 300]);
  });

  it('uses full jitter: every delay lies in [0, base * 2^n)', async () => {
    const values = [0, 0.999, 0.3];
    const { get, delays } = await setup(
      (_req, res, i) => (i < 3 ? sendEmpty(res, 502) : sendJson(res, 200, ok)),
      { random: () => values.shift() ?? 0, baseDelayMs: 1000 },
    );
    await get();
    expect(delays).toEqual([0, 1998, 1200]);
  });

  it('500 forever: maxRetries + 1 requests, then CleverServerError', async () => {
    const { get, requests, calls } = await setup((_req, res) => sendJson(res, 500, { message: 'boom' }), {
      maxRetries: 3,
    });
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleverServerError);
    expect(error).toMatchObject({ code: 'server_error', status: 500, path: '/v3.0/schools' });
    expect(requests).toHaveLength(4);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
  });

  it('defaults to 5 retries (Clever: stop after 5)', async () => {
    const { get, requests } = await setup((_req, res) => sendEmpty(res, 504));
    await expect(get()).rejects.toBeInstanceOf(CleverServerError);
    expect(requests).toHaveLength(6);
  });

  it('429 forever ends in CleverRateLimitError carrying the last hint', async () => {
    const { get } = await setup((_req, res) => sendEmpty(res, 429, { 'retry-after': '2' }), {
      maxRetries: 1,
    });
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleverRateLimitError);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 2000 });
  });

  it.each([
    [400, CleverRequestError, 'bad_request'],
    [401, CleverAuthError, 'unauthorized'],
    [403, CleverRequestError, 'forbidden'],
    [404, CleverNotFoundError, 'not_found'],
    [413, CleverRequestError, 'limit_too_large'],
    [501, CleverServerError, 'not_implemented'],
  ])('%i is never retried: exactly one request', async (status, errorClass, code) => {
    const { get, requests, delays } = await setup((_req, res) => sendJson(res, status, { message: 'nope' }));
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ code, status });
    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('a hanging request times out, is retried, then fails with CleverNetworkError', async () => {
    const { get, requests, calls } = await setup(() => undefined /* never answers */, {
      timeoutMs: 100,
      maxRetries: 2,
    });
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleverNetworkError);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(requests).toHaveLength(3);
    expect(calls.every((c) => c.status === 0 && c.error === 'timeout')).toBe(true);
  });

  it('a refused connection is retried, then fails with CleverNetworkError network_error', async () => {
    const { http } = await setup((_req, res) => sendJson(res, 200, ok), { maxRetries: 1 });
    const url = server!.url;
    await server!.close();
    server = undefined;
    const calls: CleverRequestInfo[] = [];
    const closed = new CleverHttp({
      apiUrl: url,
      maxRetries: 1,
      sleep: async () => undefined,
      onRequest: (i) => calls.push(i),
    });
    const error = await closed
      .request({ path: '/v3.0/schools', auth: { bearer: TOKEN } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleverNetworkError);
    expect(error).toMatchObject({ code: 'network_error' });
    expect(calls).toHaveLength(2);
    expect(http).toBeDefined();
  });

  it('retries a POST only when asked to (default: never)', async () => {
    const { http, requests } = await setup((_req, res) => sendEmpty(res, 503));
    await expect(
      http.request({
        method: 'POST',
        host: 'oauth',
        path: '/oauth/tokens',
        auth: { bearer: TOKEN },
        form: { a: 'b' },
      }),
    ).rejects.toBeInstanceOf(CleverServerError);
    expect(requests).toHaveLength(1);
  });
});

describe('CleverHttp responses', () => {
  it('malformed JSON on a 200 fails with CleverBadResponseError invalid_json (not retried)', async () => {
    const { get, requests } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":[{"id":');
    });
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleverBadResponseError);
    expect(error).toMatchObject({ code: 'invalid_json' });
    expect(requests).toHaveLength(1);
  });

  it('a body cut off before Content-Length is reached fails with CleverBadResponseError after retries', async () => {
    const { get, requests } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('{"data":[{"data":{"id":"58da');
        setTimeout(() => res.socket?.destroy(), 10);
      },
      { maxRetries: 1 },
    );
    const error = await get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleverBadResponseError);
    expect(error).toMatchObject({ code: 'truncated_body' });
    expect(requests).toHaveLength(2);
  });

  it('an HTML 404 (wrong token type / unknown route) is a CleverNotFoundError without the HTML', async () => {
    const { get } = await setup((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<pre>Cannot GET /v3.0/schools</pre>');
    });
    const error = (await get().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CleverNotFoundError);
    expect(error.message).not.toContain('<pre>');
  });

  it('sends the bearer token, asks for JSON, appends query params (repeatable) and reports each call', async () => {
    const { http, requests, calls } = await setup((_req, res) =>
      sendJson(res, 200, ok, { 'x-request-id': 'r1' }),
    );
    const response = await http.request({
      path: '/v3.0/events',
      query: { limit: 10, record_type: ['users', 'sections'], school: undefined },
      auth: { bearer: TOKEN },
    });
    expect(requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(requests[0].headers.accept).toBe('application/json');
    expect(requests[0].url).toBe('/v3.0/events?limit=10&record_type=users&record_type=sections');
    expect(response.path).toBe('/v3.0/events?limit=10&record_type=users&record_type=sections');
    expect(calls).toEqual([
      expect.objectContaining({ method: 'GET', path: response.path, status: 200, attempt: 1 }),
    ]);
    expect(calls[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('does not follow redirects (the token must not travel to another host)', async () => {
    const { get, requests } = await setup((_req, res) =>
      sendEmpty(res, 302, { location: 'http://example.invalid/' }),
    );
    await expect(get()).rejects.toMatchObject({ code: 'unexpected_status', status: 302 });
    expect(requests).toHaveLength(1);
  });

  it('prefixes the configured version once', () => {
    const http = new CleverHttp({ version: 'v3.1' });
    expect(http.apiPath('/users')).toBe('/v3.1/users');
    expect(http.apiPath('/v3.1/users?limit=2')).toBe('/v3.1/users?limit=2');
    expect(() => new CleverHttp({ version: 'v2.1' as never })).toThrow(RangeError);
  });
});
