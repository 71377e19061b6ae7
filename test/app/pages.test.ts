import { startTestApp, type TestApp } from '../helpers/app';

describe('health, home and error pages', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers /healthz with 200 while the database answers', async () => {
    const res = await app.agent().get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 once every migration is applied', async () => {
    const res = await app.agent().get('/readyz').expect(200);
    expect(res.body).toMatchObject({ status: 'ready', pendingMigrations: 0 });
  });

  it('shows a Log in with Clever button to a signed-out visitor', async () => {
    const res = await app.agent().get('/').expect(200);
    expect(res.text).toContain('href="/auth/clever"');
    expect(res.text).toContain('Log in with Clever');
  });

  it('answers an unknown page with a 404 page, and an unknown API route with JSON', async () => {
    const page = await app.agent().get('/no/such/page').set('Accept', 'text/html').expect(404);
    expect(page.text).toContain('does not exist');
    const api = await app.agent().get('/api/no-such-thing').expect(404);
    expect(api.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('answers malformed JSON with a 400 and a stable code, not a 500', async () => {
    const res = await app
      .agent()
      .post('/api/progress')
      .set('Content-Type', 'application/json')
      .send('{"activity":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });

  it('sends strict security headers', async () => {
    const res = await app.agent().get('/');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['content-security-policy']).toMatch(/object-src 'none'/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('refuses a state-changing request from another site', async () => {
    const res = await app
      .agent()
      .post('/api/progress')
      .set('Origin', 'https://evil.example')
      .send({ activity: 'x' });
    expect(res.status).toBe(403);
  });
});

describe('health when the database is gone', () => {
  it('answers /healthz with 503', async () => {
    const app = await startTestApp();
    try {
      await app.db.pool.end();
      const res = await app.agent().get('/healthz');
      expect(res.status).toBe(503);
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
