// /metrics: what operators watch (sign-ins and their provisioning time, sync runs and the records they changed,
// Clever calls and 429s, queue depth, HTTP responses), who may read it, and request ids in the logs.
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { syncNow } from '../../src/sync/sync-api';
import { signInAs, startTestApp, type TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { metric } from './prometheus';

const TOKEN = 'metrics-token-0123456789abcdef';

describe(`/metrics on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { SYNC_PAGE_SIZE: '20' } });
  });
  afterAll(async () => {
    await app.close();
  });

  const scrape = async () => (await app.agent().get('/metrics').expect(200)).text;

  it('counts a sign-in, its provisioning time and the records it created', async () => {
    const before = await scrape();
    await signInAs(app, app.agent(), PERSONAS.teacher);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      metric(after, name, labels) - metric(before, name, labels);
    expect(delta('clever_sign_ins_total', { outcome: 'created' })).toBe(1);
    expect(delta('clever_login_provisioning_seconds_count', { outcome: 'created' })).toBe(1);
    expect(delta('clever_login_provisioning_seconds_sum')).toBeGreaterThan(0);
    expect(delta('sync_records_total', { source: 'login', type: 'user', change: 'created' })).toBeGreaterThan(
      1,
    );
    expect(delta('clever_api_requests_total', { endpoint: '/oauth/tokens', status: '200' })).toBeGreaterThan(
      0,
    );
    expect(delta('clever_api_requests_total', { endpoint: '/users/{id}/sections' })).toBe(1);
    expect(delta('http_requests_total', { method: 'GET', status: '303' })).toBe(1);
  });

  it('counts a sign-in that failed by its reason', async () => {
    app.sandbox.store.addFault({ path: '/users', kind: '5xx', status: 503 });
    try {
      const res = await signInAs(app, app.agent(), PERSONAS.studentNoSections);
      expect(res.status).toBe(503);
      // The warning logged deep in provisioning names the request that caused it.
      const warning = app.logs
        .map((l) => JSON.parse(l))
        .find((l) => l.msg === 'Clever unavailable during login provisioning');
      expect(warning).toMatchObject({ reqId: res.headers['x-request-id'] });
    } finally {
      app.sandbox.store.clearFaults();
    }
    const text = await scrape();
    expect(metric(text, 'clever_sign_ins_total', { outcome: 'clever_unavailable' })).toBe(1);
    expect(
      metric(text, 'clever_api_requests_total', { endpoint: '/users/{id}', status: '503' }),
    ).toBeGreaterThan(0);
  });

  it('counts a sync run by outcome, the records it changed, and the 429s Clever answered', async () => {
    app.sandbox.store.addFault({ path: '/sections', kind: '429', resetSeconds: 0, times: 1 });
    const [result] = await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
    expect(result.status).toBe('succeeded');
    const text = await scrape();
    expect(metric(text, 'sync_runs_total', { kind: 'full', status: 'succeeded' })).toBe(1);
    expect(metric(text, 'sync_records_total', { source: 'sync', change: 'created' })).toBe(
      result.counts.total.created,
    );
    expect(metric(text, 'sync_records_total', { source: 'sync', type: 'section', change: 'created' })).toBe(
      result.counts.section.created,
    );
    expect(metric(text, 'clever_api_rate_limited_total')).toBe(1);
    expect(metric(text, 'clever_api_requests_total', { endpoint: '/sections', status: '429' })).toBe(1);

    // Archives count too: a student Clever stops sharing is archived by the next sync.
    app.sandbox.store.unshare('user', PERSONAS.studentNoSections);
    await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
    const later = await scrape();
    expect(metric(later, 'sync_records_total', { source: 'sync', type: 'user', change: 'archived' })).toBe(1);
  });

  it('reports the depth of every job queue, read from the database at scrape time', async () => {
    await app.services.jobs.start();
    const text = await scrape();
    for (const state of ['created', 'retry', 'active']) {
      expect(text).toContain(`job_queue_depth{queue="sync-district",state="${state}"} 0`);
    }
    const district = await app.db.prisma.district.findUniqueOrThrow({
      where: { cleverId: PERSONAS.districtId },
    });
    await app.services.sync.queue!.enqueue({ runId: crypto.randomUUID(), districtId: district.id });
    expect(metric(await scrape(), 'job_queue_depth', { queue: 'sync-district', state: 'created' })).toBe(1);
    await app.db.pool.query(`DELETE FROM pgboss.job WHERE name = 'sync-district'`);
  });

  it('answers loopback only, and never a request a proxy forwarded', async () => {
    const forwarded = await app.agent().get('/metrics').set('X-Forwarded-For', '203.0.113.9');
    expect(forwarded.status).toBe(403);
    expect(forwarded.text).not.toContain('clever_sign_ins_total');
  });

  it('logs a sign-in with the id of the request that caused it', async () => {
    const agent = app.agent();
    const res = await signInAs(app, agent, PERSONAS.student);
    const reqId = res.headers['x-request-id'];
    expect(reqId).toEqual(expect.any(String));
    const lines = app.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'signed in with Clever');
    expect(lines.at(-1)).toMatchObject({ reqId });
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('needs the bearer token', async () => {
    const none = await app.agent().get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await app.agent().get('/metrics').set('Authorization', 'Bearer wrong')).status).toBe(401);
    const ok = await app.agent().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.text).toContain('# TYPE clever_sign_ins_total counter');
  });
});

describe('/metrics in production without METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { NODE_ENV: 'production', ALLOW_HTTP_BASE_URL: 'true' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('is served to nobody, not even loopback', async () => {
    expect((await app.agent().get('/metrics')).status).toBe(403);
  });
});
