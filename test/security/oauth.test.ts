// docs/security.md, rows 1–14, 30, 31: the "Log in with Clever" flow under attack and under failure.
//
// Covered elsewhere (not repeated here):
// - row 4  (portal launch without state): test/auth/login-flows.test.ts
//          "restarts a Clever portal launch (no state) with a fresh state, exchanging no code"
// - row 13 (email equal to another Clever user's): test/auth/matching.test.ts
//          "links nothing when another Clever user already has the same email" and
//          "never moves a Clever id from one account to another". Accounts that existed *before* Clever (no
//          Clever id, `managedBy: local`) are linked by a unique email match on purpose (`npm run
//          import-users`); two candidates are never linked but sent to an admin ("links nothing when two
//          existing accounts share the email, and asks an admin to review").
// - row 14 (no email / sparse profile): test/auth/login-flows.test.ts
//          "signs in %s although optional fields are missing or odd"
// - row 30 (?code=a&code=b&state=s&state=s): test/auth/login-flows.test.ts
//          "refuses repeated parameters without calling Clever"
//
// Rows 11 (PKCE) and 12 (OIDC id_token checks) do not apply: Clever documents no PKCE for its OAuth flow
// (https://dev.clever.com/docs/oauth-implementation), and this app learns who signed in from `GET /v3.x/me`
// with the SSO token, never from an id_token (it asks for no `openid` scope and sends no nonce). The tests
// under "rows 11 and 12" prove both reasons: no code_challenge/code_verifier is ever sent, and a forged
// id_token changes nothing.
import http from 'node:http';
import { startFakeClever, type FakeClever } from '../clever/helpers/fake-clever';
import {
  cleverSendsBack,
  pathOf,
  PERSONAS,
  sessionRows,
  signInAs,
  startLogin,
  startSecurityApp,
  type SecurityApp,
} from './helpers';

const signedInUsers = async (app: SecurityApp) =>
  (await sessionRows(app)).map((r) => r.sess.passport?.user).filter(Boolean);

describe('the sign-in flow against the Clever sandbox', () => {
  let app: SecurityApp;
  beforeAll(async () => {
    app = await startSecurityApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('row 1: sends the browser to Clever with a fresh, unguessable state kept in its own session', async () => {
    const agent = app.agent();
    const start = await agent.get('/auth/clever').expect(302);
    const authorize = new URL(start.headers.location as string);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${app.sandbox.url}/oauth/authorize`);
    const state = authorize.searchParams.get('state')!;
    // passport-oauth2's session store (not its NullStore): 24 characters of [A-Za-z0-9] ≈ 142 bits.
    expect(state).toMatch(/^[A-Za-z0-9]{24,}$/);
    expect(state.length * Math.log2(62)).toBeGreaterThanOrEqual(128);
    const again = new URL((await app.agent().get('/auth/clever').expect(302)).headers.location as string);
    expect(again.searchParams.get('state')).not.toBe(state);

    const sid = decodeURIComponent(String(start.headers['set-cookie']?.[0]).split(';')[0]!.split('=')[1]!)
      .replace(/^s:/, '')
      .replace(/\.[^.]+$/, '');
    const row = (await sessionRows(app)).find((r) => r.sid === sid);
    expect(JSON.stringify(row?.sess)).toContain(`"state":"${state}"`);
  });

  it('row 2: refuses a callback whose state this browser never got: 403, no code exchanged, nobody signed in', async () => {
    const victim = app.agent();
    await startLogin(victim); // the victim has a state of their own, just not this one
    const attacker = app.agent();
    const callback = await cleverSendsBack(await startLogin(attacker), PERSONAS.teacher);
    const before = { exchanges: app.exchanges(), users: await signedInUsers(app) };
    const res = await victim.get(callback).expect(403);
    expect(res.text).toContain('could not be verified');
    expect(app.exchanges()).toBe(before.exchanges);
    expect(await signedInUsers(app)).toEqual(before.users);
    await victim.get('/api/me').expect(401);
  });

  it('row 3: never accepts a state twice, even with a fresh code, and calls Clever no more', async () => {
    const agent = app.agent();
    const first = await signInAs(app, agent, PERSONAS.student);
    const usedState = new URL(pathOf(first), app.url).searchParams.get('state')!;
    // A new, valid code for someone else, presented with the state this browser already used.
    const other = new URL(await cleverSendsBack(await startLogin(app.agent()), PERSONAS.teacher), app.url);
    const exchanges = app.exchanges();
    const replay = await agent.get(
      `/auth/clever/callback?code=${other.searchParams.get('code')}&state=${usedState}`,
    );
    expect([303, 403]).toContain(replay.status);
    expect(app.exchanges()).toBe(exchanges);
    expect((await agent.get('/api/me').expect(200)).body.cleverId).toBe(PERSONAS.student);
  });

  it("row 5: a victim who opens an attacker's captured callback link is never signed in as the attacker", async () => {
    const attacker = app.agent();
    const captured = await cleverSendsBack(await startLogin(attacker), PERSONAS.teacher);
    const exchanges = app.exchanges();

    const fresh = app.agent(); // a victim with no session at all
    await fresh.get(captured).expect(403);
    await fresh.get('/api/me').expect(401);

    const signedIn = app.agent(); // a victim signed in as themselves
    await signInAs(app, signedIn, PERSONAS.studentNoSections);
    const exchangesBefore = app.exchanges();
    await signedIn.get(captured);
    expect((await signedIn.get('/api/me').expect(200)).body.cleverId).toBe(PERSONAS.studentNoSections);
    expect(app.exchanges()).toBe(exchangesBefore);
    expect(exchangesBefore).toBe(exchanges + 1);
  });

  it('row 8: ignores a returnTo to another site and always lands on its own dashboard', async () => {
    const agent = app.agent();
    const start = await agent
      .get('/auth/clever?returnTo=https://evil.example/&next=//evil.example')
      .expect(302);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.toString()).not.toContain('evil.example');
    const callback = await cleverSendsBack(authorize, PERSONAS.student);
    const done = await agent.get(`${callback}&returnTo=https%3A%2F%2Fevil.example%2F`);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/');
  });

  it('row 9: a refreshed callback page exchanges the code once and answers 303, not an error', async () => {
    const agent = app.agent();
    const before = app.exchanges();
    const first = await signInAs(app, agent, PERSONAS.teacher);
    expect(first.status).toBe(303);
    const again = await agent.get(pathOf(first));
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/');
    expect(app.exchanges()).toBe(before + 1);
  });

  it('row 31: a database failure while signing in gives a generic 500 at once, no session and no SQL', async () => {
    await app.db.pool.query(`ALTER TABLE "SchoolMembership" RENAME TO "SchoolMembership_offline"`);
    try {
      const agent = app.agent();
      const started = Date.now();
      const res = await signInAs(app, agent, PERSONAS.teacherNoSections);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.status).toBe(500);
      expect(res.text).toContain('Something went wrong on our side');
      expect(res.text).not.toMatch(/SchoolMembership|relation|SELECT|INSERT|at .*\.[jt]s:\d+/);
      await agent.get('/api/me').expect(401);
      const teacherId = await app.db.prisma.user.findUnique({
        where: { cleverId: PERSONAS.teacherNoSections },
      });
      expect(teacherId).toBeNull();
    } finally {
      await app.db.pool.query(`ALTER TABLE "SchoolMembership_offline" RENAME TO "SchoolMembership"`);
    }
  });
});

// A stand-in for Clever's OAuth host that the test steers: it forwards to the sandbox (optionally tampering
// with the request or the answer), or never answers. The Data API (/me) stays the sandbox.
type Mode = 'forward' | 'wrong-secret' | 'wrong-redirect' | 'forged-id-token' | 'hang';

describe('the code exchange, seen from Clever', () => {
  let app: SecurityApp;
  let fake: FakeClever;
  let mode: Mode = 'forward';
  let sandboxUrl = '';

  beforeAll(async () => {
    fake = await startFakeClever((req, res) => {
      if (!(req.method === 'POST' && req.url.startsWith('/oauth/tokens'))) return forwardGet(req, res);
      if (mode === 'hang') return; // never answers
      void forwardExchange(req, res);
    });
    app = await startSecurityApp({ env: { CLEVER_OAUTH_URL: fake.url, CLEVER_TIMEOUT_MS: '400' } });
    sandboxUrl = app.sandbox.url;
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });
  beforeEach(() => {
    mode = 'forward';
  });

  function forwardGet(req: { url: string; headers: http.IncomingHttpHeaders }, res: http.ServerResponse) {
    const headers = req.headers.authorization ? { authorization: req.headers.authorization } : undefined;
    fetch(`${sandboxUrl}${req.url}`, { redirect: 'manual', headers })
      .then(async (answer) => {
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(Buffer.from(await answer.arrayBuffer()));
      })
      .catch(() => res.destroy());
  }

  async function forwardExchange(
    req: { headers: http.IncomingHttpHeaders; body: string },
    res: http.ServerResponse,
  ) {
    const form = new URLSearchParams(req.body);
    let authorization = String(req.headers.authorization);
    if (mode === 'wrong-secret')
      authorization = `Basic ${Buffer.from('sandbox-client:guessed').toString('base64')}`;
    if (mode === 'wrong-redirect') form.set('redirect_uri', `${form.get('redirect_uri')}/../../evil`);
    const answer = await fetch(`${sandboxUrl}/oauth/tokens`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const body = (await answer.json()) as Record<string, unknown>;
    if (mode === 'forged-id-token' && answer.ok) body.id_token = forgedIdToken();
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** Signs in through the fake host: its authorize URL is rewritten to the sandbox's (the user's browser). */
  async function signInVia(agent: ReturnType<SecurityApp['agent']>, cleverUserId: string) {
    const authorize = await startLogin(agent);
    const atSandbox = new URL(`${authorize.pathname}${authorize.search}`, sandboxUrl);
    return agent.get(await cleverSendsBack(atSandbox, cleverUserId));
  }

  const exchangesAtClever = () =>
    fake.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/oauth/tokens'));

  it('row 7: exchanges with HTTP Basic and exactly the configured redirect_uri', async () => {
    const agent = app.agent();
    const res = await signInVia(agent, PERSONAS.student);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const sent = exchangesAtClever().at(-1)!;
    expect(sent.headers.authorization).toBe(
      `Basic ${Buffer.from('sandbox-client:sandbox-secret').toString('base64')}`,
    );
    const form = new URLSearchParams(sent.body);
    expect(form.get('redirect_uri')).toBe(`${app.url}/auth/clever/callback`);
    expect(form.get('client_secret')).toBeNull();
  });

  it('row 7: a redirect_uri Clever does not accept ends the sign-in cleanly, with nobody signed in', async () => {
    mode = 'wrong-redirect';
    const agent = app.agent();
    const res = await signInVia(agent, PERSONAS.student);
    expect(res.status).toBeLessThan(500);
    expect([303, 302]).toContain(res.status);
    await agent.get('/api/me').expect(401);
  });

  it('row 7: client credentials Clever refuses give a clear error page, not a 500 or a session', async () => {
    mode = 'wrong-secret';
    const agent = app.agent();
    const res = await signInVia(agent, PERSONAS.student);
    expect(res.status).toBe(502);
    expect(res.text).toContain('Clever could not complete your sign-in');
    expect(res.text).not.toContain('sandbox-secret');
    await agent.get('/api/me').expect(401);
  });

  it('row 10: a token endpoint that never answers gives an error page within the timeout, asked once', async () => {
    mode = 'hang';
    const agent = app.agent();
    const before = exchangesAtClever().length;
    const started = Date.now();
    const res = await signInVia(agent, PERSONAS.student);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(502);
    expect(res.text).toContain('Clever could not complete your sign-in');
    expect(exchangesAtClever().length).toBe(before + 1);
    await agent.get('/api/me').expect(401);
  });

  it('rows 11 and 12: sends no PKCE and asks for no id_token, and a forged id_token changes nothing', async () => {
    const agent = app.agent();
    const authorize = await startLogin(agent);
    for (const param of ['code_challenge', 'code_challenge_method', 'nonce']) {
      expect(authorize.searchParams.has(param)).toBe(false);
    }
    expect(authorize.searchParams.get('scope') ?? '').not.toContain('openid');

    mode = 'forged-id-token';
    const atSandbox = new URL(`${authorize.pathname}${authorize.search}`, sandboxUrl);
    const meCalls = () => app.calls.filter((c) => /^\/v3\.\d\/me$/.test(c.path)).length;
    const before = meCalls();
    const res = await agent.get(await cleverSendsBack(atSandbox, PERSONAS.teacher));
    expect(res.status).toBe(303);
    // Who signed in comes from /me (the sandbox says: the teacher), not from the token response.
    expect((await agent.get('/api/me').expect(200)).body.cleverId).toBe(PERSONAS.teacher);
    expect(meCalls()).toBe(before + 1);
    expect(new URLSearchParams(exchangesAtClever().at(-1)!.body).has('code_verifier')).toBe(false);
    const stored = JSON.stringify((await sessionRows(app)).map((r) => r.sess));
    expect(stored).not.toContain('id_token');
    expect(app.logs.join('')).not.toContain(forgedIdToken());
  });
});

/** An id_token naming another user, audience, issuer and nonce: an OIDC client would have to reject it. */
function forgedIdToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ iss: 'https://evil.example', aud: 'someone-else', sub: PERSONAS.student, nonce: 'n' })}.`;
}
