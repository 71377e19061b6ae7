// Security checklist §5.2, §5.3 and the "extra assertions" of §6: no secret, token, code or student's name or
// email in the logs, in any response where it does not belong, in any header or redirect URL, or in any
// database column other than the user's own record. Canary values are planted (a client secret, a student
// with a chosen name and email); the tokens and codes the sandbox issues are recorded as they are made.
// Then: sign-ins, pages, the roster, progress, a sync through the job queue, a failing sync, and forced
// failures (forged state, reused and invented codes, Clever down for a new user, a database failure).
import type supertest from 'supertest';
import { startWorkers } from '../../src/jobs/workers';
import { getRun, syncNow } from '../../src/sync/sync-api';
import {
  cleverSendsBack,
  pathOf,
  PERSONAS,
  signInAs,
  startLogin,
  startSecurityApp,
  type SecurityApp,
} from './helpers';

const SECRET = 'sec_CANARY_5b7e1d9a';
const FIRST = 'Canaryfirst7c1';
const LAST = 'Canarylast7c1';
const EMAIL = 'canary.student.7c1@example.org';
const INVENTED_CODE = 'code_CANARY_44';

// Where a student's name or email may be stored: their own account, and an admin's match review.
const PII_COLUMNS = new Set([
  'User.firstName',
  'User.middleName',
  'User.lastName',
  'User.email',
  'User.emailNormalized',
  'User.districtUsername',
  'MatchReview.emailNormalized',
  'SyncPlanItem.label',
]);

describe('canaries: secrets, tokens and student data stay where they belong', () => {
  let app: SecurityApp;
  const issued = { tokens: [] as string[], codes: [] as string[] };
  const seen: Array<{ what: string; res: supertest.Response; mayShowStudent: boolean }> = [];
  let studentId = '';

  beforeAll(async () => {
    app = await startSecurityApp({
      sandbox: { clientSecret: SECRET },
      env: { CLEVER_CLIENT_SECRET: SECRET, SYNC_PAGE_SIZE: '20', LOG_LEVEL: 'debug' },
    });
    const store = app.sandbox.store;
    const grants = store.grants;
    const issueCode = grants.issueCode.bind(grants);
    grants.issueCode = (...args) => {
      const code = issueCode(...args);
      issued.codes.push(code);
      return code;
    };
    const issueToken = grants.issueToken.bind(grants);
    grants.issueToken = (...args) => {
      const grant = issueToken(...args);
      issued.tokens.push(grant.token);
      return grant;
    };
    const school = store.getUser(PERSONAS.teacher)!.roles.teacher!.school!;
    studentId = store.createUser({
      district: PERSONAS.districtId,
      role: 'student',
      name: { first: FIRST, last: LAST },
      email: EMAIL,
      school,
    }).user.id;
    store.createSection({ school, name: 'Canary class', teacher: PERSONAS.teacher, students: [studentId] });
  });
  afterAll(async () => {
    await app?.close();
  });

  const track = async (what: string, req: PromiseLike<supertest.Response>, mayShowStudent = false) => {
    const res = await req;
    seen.push({ what, res, mayShowStudent });
    return res;
  };

  it('runs sign-ins, pages, syncs and failures that handle every canary', async () => {
    const store = app.sandbox.store;
    // A new student while Clever is down: a clear page, no account.
    const fault = store.addFault({ path: '/users', kind: '5xx', status: 503 });
    const down = app.agent();
    expect((await track('new user, Clever down', signInAs(app, down, studentId))).status).toBe(503);
    store.clearFaults();
    void fault;

    const student = app.agent();
    const first = await track('student sign-in', signInAs(app, student, studentId));
    expect(first.status).toBe(303);
    await track('student /api/me', student.get('/api/me'), true);
    await track('student dashboard', student.get('/dashboard'), true);
    await track('progress', student.post('/api/progress').send({ activity: 'lesson-1', score: 1 }));
    await track('refreshed callback', student.get(pathOf(first)));

    const teacher = app.agent();
    await track('teacher sign-in', signInAs(app, teacher, PERSONAS.teacher));
    await track('teacher /api/me', teacher.get('/api/me'), true);
    await track('teacher dashboard', teacher.get('/dashboard'), true);

    // Forged state, an invented code with a real state, a code used twice by another browser.
    const attacker = app.agent();
    await track('forged state', attacker.get(`/auth/clever/callback?code=${INVENTED_CODE}&state=forged`));
    const authorize = await startLogin(attacker);
    await track(
      'invented code',
      attacker.get(
        `/auth/clever/callback?code=${INVENTED_CODE}&state=${authorize.searchParams.get('state')}`,
      ),
    );
    const used = new URL(pathOf(first), app.url).searchParams.get('code');
    const fresh = await startLogin(attacker);
    await track(
      'reused code',
      attacker.get(`/auth/clever/callback?code=${used}&state=${fresh.searchParams.get('state')}`),
    );
    await track('portal launch with a code', attacker.get(`/auth/clever/callback?code=${INVENTED_CODE}`));

    // The database fails in the middle of a sign-in.
    await app.db.pool.query(`ALTER TABLE "SchoolMembership" RENAME TO "SchoolMembership_offline"`);
    try {
      const broken = app.agent();
      const callback = await cleverSendsBack(await startLogin(broken), studentId);
      expect((await track('database down at sign-in', broken.get(callback))).status).toBe(500);
    } finally {
      await app.db.pool.query(`ALTER TABLE "SchoolMembership_offline" RENAME TO "SchoolMembership"`);
    }

    // Syncs: one through the job queue (as "Sync now" runs), one that fails on a malformed page.
    const admin = app.agent();
    await track('admin sign-in', signInAs(app, admin, PERSONAS.districtAdmin));
    await startWorkers(app.services);
    const started = await track('sync now', admin.post('/api/admin/sync').send({}));
    expect(started.status).toBe(202);
    for (let i = 0; i < 100; i++) {
      const run = await getRun(app.services, { runId: started.body.runId });
      if (!['queued', 'running'].includes(run.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await getRun(app.services, { runId: started.body.runId })).status).toBe('succeeded');
    await track('sync report', admin.get(`/api/admin/sync/${started.body.runId}`));
    store.addFault({ path: '/users', kind: 'malformed', afterPages: 1 });
    const [failed] = await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
    expect(failed?.status).toBe('failed');
    store.clearFaults();

    await track('roster JSON', admin.get('/api/admin/roster?limit=1000'), true);
    await track('roster page', admin.get('/admin/roster'), true);
    const other = app.agent();
    await track('other district admin sign-in', signInAs(app, other, PERSONAS.secondDistrictAdmin));
    await track('other district roster', other.get('/api/admin/roster?limit=1000'));
    await track('logout', student.post('/logout'));
    await track('after logout', student.get('/api/me'));
    expect(issued.codes.length).toBeGreaterThan(3);
    expect(issued.tokens.length).toBeGreaterThan(3);
  });

  const secrets = () => [
    SECRET,
    Buffer.from(`sandbox-client:${SECRET}`).toString('base64'),
    store().districtToken(PERSONAS.districtId),
    store().districtToken(PERSONAS.secondDistrictId),
    INVENTED_CODE,
    ...issued.codes,
    ...issued.tokens,
  ];
  const student = [FIRST, LAST, EMAIL];
  const store = () => app.sandbox.store;
  const found = (text: string, needles: string[]) => needles.filter((n) => text.includes(n));

  it('writes none of them to the log', () => {
    const log = app.logs.join('');
    expect(log.length).toBeGreaterThan(1000);
    expect(found(log, [...secrets(), ...student])).toEqual([]);
  });

  it('sends no secret, token or code in any response, and no student data in headers or redirects', () => {
    expect(seen.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const { what, res } of seen) {
      const headers = JSON.stringify(res.headers);
      for (const hit of found(`${headers}\n${res.text ?? ''}`, secrets())) leaks.push(`${what}: ${hit}`);
      for (const hit of found(headers, student)) leaks.push(`${what} (headers): ${hit}`);
    }
    expect(leaks).toEqual([]);
  });

  it('shows the student only to those allowed to see them, never on an error page', () => {
    const leaks = seen
      .filter(({ mayShowStudent }) => !mayShowStudent)
      .flatMap(({ what, res }) =>
        found(res.text ?? '', student).map((hit) => `${what} (${res.status}): ${hit}`),
      );
    expect(leaks).toEqual([]);
    // The allowed places really show the student (the scan above could not miss them by accident).
    expect(seen.find((s) => s.what === 'teacher dashboard')?.res.text).toContain(LAST);
  });

  it('stores none of them in any column of any table, the session table included, but the user record', async () => {
    const columns = await app.db.pool.query<{ schema: string; table: string; column: string }>(
      `SELECT table_schema AS schema, table_name AS table, column_name AS column
         FROM information_schema.columns
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
          AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'USER-DEFINED')
          AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')`,
    );
    expect(columns.rows.map((c) => `${c.table}.${c.column}`)).toEqual(
      expect.arrayContaining(['session.sess', 'AuditEvent.details', 'SyncRun.error', 'job.data']),
    );
    const leaks: string[] = [];
    for (const { schema, table, column } of columns.rows) {
      const rows = await app.db.pool.query<{ v: string }>(
        `SELECT "${column}"::text AS v FROM "${schema}"."${table}" WHERE "${column}" IS NOT NULL`,
      );
      const needles = PII_COLUMNS.has(`${table}.${column}`) ? secrets() : [...secrets(), ...student];
      for (const { v } of rows.rows) {
        for (const hit of found(v, needles)) leaks.push(`${schema}.${table}.${column}: ${hit}`);
      }
    }
    expect(leaks).toEqual([]);
    // The student really was stored (in their own record).
    expect(await app.db.prisma.user.count({ where: { email: EMAIL, firstName: FIRST } })).toBe(1);
  });
});
