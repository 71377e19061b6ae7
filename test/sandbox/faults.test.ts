import http from 'node:http';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/sandbox-api';
import { collect, OWN_ORIGIN, setup } from './helpers';

// Fault injection, as a sync client meets it. Some kinds need a real socket (hang, truncated).

function rawGet(
  url: string,
  token: string,
): Promise<{ status: number; body: string; aborted: boolean; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, aborted: false, headers: res.headers }));
      res.on('error', () => resolve({ status: res.statusCode!, body, aborted: true, headers: res.headers }));
      res.on('aborted', () =>
        resolve({ status: res.statusCode!, body, aborted: true, headers: res.headers }),
      );
    });
    req.on('error', reject);
  });
}

describe('faults (in-process)', () => {
  const s = setup();
  afterEach(() => s.store.clearFaults());

  it('429 with X-RateLimit-Reset (and Retry-After on request), then recovers after `times`', async () => {
    s.store.addFault({ path: '/users', kind: '429', times: 1, resetSeconds: 7, retryAfter: true });
    const limited = await s.get('/v3.0/users').expect(429);
    expect(limited.text).toBe('');
    expect(Number(limited.headers['x-ratelimit-reset'])).toBe(Math.floor(s.clock.now / 1000) + 7);
    expect(limited.headers['retry-after']).toBe('7');
    await s.get('/v3.0/users').expect(200);
  });

  it('5xx N times, only on the matching path prefix', async () => {
    s.store.addFault({ path: '/sections', kind: '5xx', status: 503, times: 2 });
    await s.get('/v3.0/users').expect(200);
    await s.get('/v3.1/sections').expect(503);
    await s.get(`/v3.0/sections/${s.p.coTaughtSection}`).expect(503);
    await s.get('/v3.0/sections').expect(200);
  });

  it('5xx forever by default; a "^" pattern is a regular expression', async () => {
    s.store.addFault({ path: '^/users/[0-9a-f]{24}/sections$', kind: '5xx' });
    for (let i = 0; i < 3; i++) await s.get(`/v3.0/users/${s.p.student}/sections`).expect(500);
    await s.get(`/v3.0/users/${s.p.student}`).expect(200);
  });

  it('afterPages lets the first n pages through and hits page n+1', async () => {
    s.store.addFault({ path: '/users', kind: '5xx', afterPages: 2, times: 1 });
    const page1 = await s.get('/v3.0/users?limit=10').expect(200);
    const next = page1.body.links.find((l: { rel: string }) => l.rel === 'next').uri;
    const page2 = await s.get(next).expect(200);
    const next2 = page2.body.links.find((l: { rel: string }) => l.rel === 'next').uri;
    await s.get(next2).expect(500);
    await s.get(next2).expect(200);
  });

  it('malformed: a 200 whose JSON body does not parse', async () => {
    s.store.addFault({ path: '/schools', kind: 'malformed', times: 1 });
    const res = await s
      .get('/v3.0/schools')
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.body as string)).toThrow();
  });

  it('loop: the next link points back to an earlier page', async () => {
    s.store.addFault({ path: '/users', kind: 'loop', afterPages: 1 });
    const page1 = await s.get('/v3.0/users?limit=20').expect(200);
    const next = page1.body.links.find((l: { rel: string }) => l.rel === 'next').uri;
    const page2 = await s.get(next).expect(200);
    expect(page2.body.links.find((l: { rel: string }) => l.rel === 'next').uri).toBe('/v3.0/users?limit=20');
    await expect(collect(s, '/v3.0/users?limit=20')).rejects.toThrow(/too many pages/);
  });

  it('the control API adds, lists and clears faults', async () => {
    const request = (await import('supertest')).default;
    await request(s.app)
      .post('/__sandbox/faults')
      .set(OWN_ORIGIN)
      .send({ path: '/terms', kind: '5xx', status: 502 })
      .expect(200);
    expect((await request(s.app).get('/__sandbox/faults').expect(200)).body.data).toHaveLength(1);
    await s.get('/v3.0/terms').expect(502);
    await request(s.app).delete('/__sandbox/faults').set(OWN_ORIGIN).expect(204);
    await s.get('/v3.0/terms').expect(200);
    await request(s.app)
      .post('/__sandbox/faults')
      .set(OWN_ORIGIN)
      .send({ path: '/terms', kind: 'explode' })
      .expect(400);
  });
});

describe('faults (real socket)', () => {
  let sandbox: RunningSandbox;
  let token: string;
  beforeEach(async () => {
    sandbox = await startSandbox({ port: 0 });
    token = sandbox.store.districtToken(sandbox.store.personas.districtId);
  });
  afterEach(() => sandbox.close());

  it('truncated: the body stops halfway and the connection drops', async () => {
    sandbox.store.addFault({ path: '/users', kind: 'truncated' });
    const res = await rawGet(`${sandbox.url}/v3.0/users`, token);
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(Buffer.byteLength(res.body));
    expect(res.aborted).toBe(true);
  });

  it('hang: no answer at all, yet close() still finishes quickly', async () => {
    sandbox.store.addFault({ path: '/sections', kind: 'hang' });
    let settled = false;
    const pending = rawGet(`${sandbox.url}/v3.0/sections`, token).then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    const started = Date.now();
    await sandbox.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await pending;
    expect(settled).toBe(true);
  });

  it('stats count the calls per path, endpoint and token', async () => {
    sandbox.store.resetStats();
    await rawGet(`${sandbox.url}/v3.0/users?limit=5`, token);
    await rawGet(`${sandbox.url}/v3.0/users/${sandbox.store.personas.student}`, token);
    const stats = sandbox.store.stats();
    expect(stats.total).toBe(2);
    expect(stats.byEndpoint).toEqual({ '/users': 1, '/users/{id}': 1 });
    expect(stats.byToken[token]).toBe(2);
    expect(stats.byPath['/v3.0/users']).toBe(1);
  });
});
