// docs/security.md, rows 6 and 15–23: session cookies, fixation, shared devices, timeouts, logout, the
// sessions of an archived user, and floods of anonymous and pre-sign-in requests.
//
// Also covered in test/auth/login-flows.test.ts: "replaces the first user with the second on a shared device,
// and the old cookie stops working" (row 16), "logs out, and the old session cookie no longer works" (row 20),
// "sets the session cookie HttpOnly and SameSite=Lax and regenerates it at login" (row 15); and in
// test/sync/changes.test.ts "signs out a user the sync archives, and keeps their progress" (row 21). The
// tests below add what those rows expect of the session table itself.
import type { Browser } from 'playwright-core';
import { syncDistrict } from '../sync/helpers';
import { describeInBrowser, launchChromium } from '../browser/browser';
import {
  cookieOf,
  PERSONAS,
  sessionRows,
  signInAs,
  startLogin,
  startSecurityApp,
  sidOf,
  userIdOf,
  type SecurityApp,
} from './helpers';

describe('sessions', () => {
  let app: SecurityApp;
  beforeAll(async () => {
    app = await startSecurityApp({ env: { SESSION_IDLE_MINUTES: '30', SESSION_MAX_HOURS: '8' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const sids = async () => (await sessionRows(app)).map((r) => r.sid);
  const sessionsOfUser = async (userId: string) =>
    (await sessionRows(app)).filter((r) => r.sess.passport?.user === userId);

  it('row 15: a new session id at sign-in; the pre-sign-in session row is deleted and its cookie signs no one in', async () => {
    const agent = app.agent();
    await startLogin(agent);
    const before = cookieOf(app, agent);
    expect(await sids()).toContain(sidOf(before));
    await signInAs(app, agent, PERSONAS.student);
    const after = cookieOf(app, agent);
    expect(sidOf(after)).not.toBe(sidOf(before));
    expect(await sids()).not.toContain(sidOf(before));
    await app.agent().get('/api/me').set('Cookie', before).expect(401);
    await app.agent().get('/api/me').set('Cookie', after).expect(200);
  });

  it("row 16: a second sign-in on the same browser replaces the first user's session row", async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.teacher);
    const first = cookieOf(app, agent);
    await signInAs(app, agent, PERSONAS.studentNonAscii);
    expect(await sids()).not.toContain(sidOf(first));
    const row = (await sessionRows(app)).find((r) => r.sid === sidOf(cookieOf(app, agent)));
    expect(row?.sess.passport?.user).toBe(await userIdOf(app, PERSONAS.studentNonAscii));
    const page = await agent.get('/dashboard').expect(200);
    expect(page.text).toContain(app.sandbox.store.getUser(PERSONAS.studentNonAscii)!.name.last);
  });

  it('row 19: a session left idle past SESSION_IDLE_MINUTES is gone', async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.student);
    const sid = sidOf(cookieOf(app, agent));
    // Every request pushes the expiry out by the idle limit (rolling), and no further.
    await agent.get('/api/me').expect(200);
    const { expire } = (await sessionRows(app)).find((r) => r.sid === sid)!;
    const idleMs = new Date(expire).getTime() - Date.now();
    expect(idleMs).toBeGreaterThan(29 * 60_000);
    expect(idleMs).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    // 31 idle minutes later:
    await app.db.pool.query(`UPDATE "session" SET expire = now() - interval '1 minute' WHERE sid = $1`, [
      sid,
    ]);
    await agent.get('/api/me').expect(401);
  });

  it('row 19: an active session older than SESSION_MAX_HOURS ends at its next request', async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.teacher);
    const sid = sidOf(cookieOf(app, agent));
    const row = (await sessionRows(app)).find((r) => r.sid === sid)!;
    expect(row.sess.authAt).toBeGreaterThan(Date.now() - 60_000);
    await agent.get('/api/me').expect(200);
    // Signed in 8 hours and a minute ago, active all along:
    const authAt = Date.now() - (8 * 60 + 1) * 60_000;
    await app.db.pool.query(
      `UPDATE "session" SET sess = jsonb_set(sess::jsonb, '{authAt}', to_jsonb($2::bigint))::json WHERE sid = $1`,
      [sid, authAt],
    );
    const res = await agent.get('/api/me').expect(401);
    expect(res.body.error.message).toMatch(/session has ended/);
    await agent.get('/api/me').expect(401);
    expect(await sessionsOfUser(await userIdOf(app, PERSONAS.teacher))).not.toContainEqual(
      expect.objectContaining({ sid }),
    );
  });

  it('row 19: a signed-in session without a sign-in time is ended, not kept forever', async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.studentApostrophe);
    const sid = sidOf(cookieOf(app, agent));
    await app.db.pool.query(`UPDATE "session" SET sess = (sess::jsonb - 'authAt')::json WHERE sid = $1`, [
      sid,
    ]);
    await agent.get('/api/me').expect(401);
  });

  it('row 20: logging out deletes the session row, and replaying the old cookie is refused', async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.student);
    const cookie = cookieOf(app, agent);
    await agent.post('/logout').expect(303);
    expect(await sids()).not.toContain(sidOf(cookie));
    await app.agent().get('/api/me').set('Cookie', cookie).expect(401);
    const page = await app.agent().get('/dashboard').set('Cookie', cookie).set('Accept', 'text/html');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/');
  });

  it('row 21: when a sync archives a user, every session of theirs ends and no one else is signed out', async () => {
    const phone = app.agent();
    const laptop = app.agent();
    const bystander = app.agent();
    await signInAs(app, phone, PERSONAS.studentLongSisId);
    await signInAs(app, laptop, PERSONAS.studentLongSisId);
    await signInAs(app, bystander, PERSONAS.studentNoSections);
    const userId = await userIdOf(app, PERSONAS.studentLongSisId);
    expect(await sessionsOfUser(userId)).toHaveLength(2);

    app.sandbox.store.unshare('user', PERSONAS.studentLongSisId);
    try {
      expect((await syncDistrict(app)).status).toBe('succeeded');
      expect(await sessionsOfUser(userId)).toHaveLength(0);
      await phone.get('/api/me').expect(401);
      await laptop.get('/api/me').expect(401);
      await bystander.get('/api/me').expect(200);
    } finally {
      app.sandbox.store.reshare('user', PERSONAS.studentLongSisId);
    }
  });

  it('row 22: anonymous page views create no session rows', async () => {
    const before = (await sessionRows(app)).length;
    const paths = ['/', '/healthz', '/dashboard', '/api/me', '/admin/roster', '/no-such-page'];
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        app
          .agent()
          .get(paths[i % paths.length]!)
          .set('Accept', 'text/html'),
      ),
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.filter((r) => r.headers['set-cookie'])).toEqual([]);
    expect((await sessionRows(app)).length).toBe(before);
  });
});

// Behind a TLS-terminating proxy (BASE_URL https, TRUST_PROXY loopback), with a small sign-in rate limit.
describe('sessions of an HTTPS deployment', () => {
  let app: SecurityApp;
  const BASE = 'https://app.example.test';
  beforeAll(async () => {
    app = await startSecurityApp({
      env: { BASE_URL: BASE, TRUST_PROXY: 'loopback', SIGNIN_RATE_LIMIT: '10' },
    });
  });
  afterAll(async () => {
    await app?.close();
  });
  const fromIp = (ip: string) =>
    app.agent().get('/auth/clever').set('X-Forwarded-Proto', 'https').set('X-Forwarded-For', ip);

  it('row 17: sets a __Host- cookie that is Secure, HttpOnly, SameSite=Lax, Path=/ and has no Domain', async () => {
    const res = await fromIp('198.51.100.1').expect(302);
    const cookie = String(res.headers['set-cookie']?.[0]);
    const [nameValue, ...attributes] = cookie.split(/;\s*/);
    expect(nameValue).toMatch(/^__Host-sid=/);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/', 'HttpOnly', 'Secure', 'SameSite=Lax']));
    expect(attributes.some((a) => /^domain=/i.test(a))).toBe(false);
  });

  it('row 6: sends Clever the configured https redirect_uri whatever Host the request names', async () => {
    const res = await fromIp('198.51.100.2')
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .expect(302);
    const authorize = new URL(res.headers.location as string);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${BASE}/auth/clever/callback`);
  });

  it('row 23: refuses a flood of sign-in starts from one address with 429, storing at most the limit', async () => {
    const before = (await sessionRows(app)).length;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await fromIp('203.0.113.9')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(302));
    expect(statuses.slice(10)).toEqual(Array(30).fill(429));
    const rows = await sessionRows(app);
    expect(rows.length - before).toBeLessThanOrEqual(10);
    // Pre-sign-in sessions (they only hold the OAuth state) expire within minutes, not the idle limit.
    for (const row of rows.filter((r) => !r.sess.passport?.user)) {
      expect(new Date(row.expire).getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 5_000);
    }
    // Another address is not affected, and the callback route is limited too.
    await fromIp('203.0.113.10').expect(302);
    const callback = await app
      .agent()
      .get('/auth/clever/callback?code=x&state=y')
      .set('X-Forwarded-For', '203.0.113.9');
    expect(callback.status).toBe(429);
    expect(callback.text).toContain('Too many sign-in attempts');
  });
});

// Row 18: a real browser, with the app on http://localhost and Clever (the sandbox) on http://127.0.0.1 —
// two different sites, as clever.com and the app are.
describeInBrowser('the session cookie across sites (real browser)', () => {
  let app: SecurityApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startSecurityApp({ hostname: 'localhost' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('row 18: survives the cross-site redirect back from Clever (SameSite=Lax), where a Strict cookie is dropped', async () => {
    const context = await browser.newContext();
    await context.route(/^https?:\/\/(?!(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort());
    const origin = new URL(app.url);
    await context.addCookies([
      { name: 'probe', value: 'strict', domain: origin.hostname, path: '/', sameSite: 'Strict' },
    ]);
    const page = await context.newPage();
    const callbackCookies: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/auth/clever/callback')) {
        void request.allHeaders().then((h) => callbackCookies.push(h.cookie ?? ''));
      }
    });
    await page.goto(`${app.url}/auth/clever?district_id=${PERSONAS.districtId}`);
    expect(new URL(page.url()).hostname).toBe('127.0.0.1'); // at "Clever"
    await page.locator(`a[href*="${PERSONAS.teacher}"]`).first().click();
    await page.waitForURL(/\/dashboard$/);
    expect(await page.textContent('body')).toContain('Alvarez');
    // The control: the same redirect did not carry the Strict cookie, so a Strict session cookie would
    // have lost the OAuth state and failed this sign-in.
    expect(callbackCookies.length).toBeGreaterThan(0);
    expect(callbackCookies[0]).toMatch(/(^|; )sid=/);
    expect(callbackCookies[0]).not.toContain('probe=strict');
    await context.close();
  });
});
