// Security checklist §6, rows 32–36: Clever failing in every way a sync can meet, and the guard against
// unintended mass archiving. Whatever fails, nothing is archived; pages already read are kept.
//
// Covered elsewhere:
// - row 33 (the backoff itself: growing, full-jitter delays): test/clever/http.test.ts
//   "503 three times then 200: 4 requests with growing, jittered delays" and
//   "uses full jitter: every delay lies in [0, base * 2^n)"; here: the same through a real sync run.
// - row 37 (removed, then back: same row): test/sync/changes.test.ts
//   "archives a %s Clever stopped sharing, and restores the same row when it is shared again"
// - row 38 (the same data twice writes nothing): test/sync/full-sync.test.ts
//   "writes no rows when nothing changed upstream"; duplicate memberships are impossible by the unique
//   (sectionId, userId) and (userId, schoolId) keys, see test/auth/provisioning.test.ts
//   "creates one account when the same person signs in 20 times at once, with no server error".
import type { CleverRequestInfo } from '../../src/clever/clever-clients';
import type { FaultSpec } from '../../src/sandbox/sandbox-api';
import { isArchived, setThreshold, startSyncTestApp, syncDistrict } from '../sync/helpers';
import type { TestApp } from '../helpers/app';
import { PERSONAS } from './helpers';

const MAX_RETRIES = 5;

describe('a full sync when Clever fails', () => {
  let app: TestApp;
  let calls: Array<CleverRequestInfo & { at: number }> = [];
  let delays: number[] = [];
  beforeAll(async () => {
    app = await startSyncTestApp({
      env: { CLEVER_TIMEOUT_MS: '300' },
      cleverHttp: {
        maxRetries: MAX_RETRIES,
        baseDelayMs: 20,
        maxDelayMs: 3000,
        onRequest: (info) => calls.push({ ...info, at: Date.now() }),
        sleep: (ms) => {
          delays.push(ms);
          return new Promise((resolve) => setTimeout(resolve, ms));
        },
      },
    });
    expect((await syncDistrict(app)).status).toBe('succeeded');
    await setThreshold(app, 1);
  });
  beforeEach(() => {
    // A completed sync would archive this student; a failed one must not.
    app.sandbox.store.reset();
    app.sandbox.store.unshare('user', PERSONAS.studentCjk);
    calls = [];
    delays = [];
  });
  afterAll(async () => {
    await app?.close();
  });

  /** After a test whose sync succeeded: everything shared again and synced, as the next test expects. */
  const restoreAll = async () => {
    app.sandbox.store.reset();
    expect((await syncDistrict(app)).status).toBe('succeeded');
  };
  const usersPage = (n: number) => {
    const firsts = calls.filter((c) => /^\/v3\.0\/users\b/.test(c.path) && c.attempt === 1);
    return firsts[n - 1]?.path;
  };
  const attemptsOf = (path: string | undefined) => calls.filter((c) => c.path === path);
  const expectNothingArchived = async (runId: string) => {
    expect(await isArchived(app, 'user', PERSONAS.studentCjk)).toBe(false);
    expect(await app.db.prisma.auditEvent.count({ where: { syncRunId: runId, action: 'archived' } })).toBe(0);
    expect(await app.db.prisma.user.count({ where: { archivedAt: { not: null } } })).toBe(0);
  };

  it('row 32: waits the Retry-After Clever asks for (2 s) before asking again, then finishes', async () => {
    app.sandbox.store.addFault({ path: '/users', kind: '429', times: 1, resetSeconds: 2, retryAfter: true });
    const result = await syncDistrict(app);
    expect(result.status).toBe('succeeded');
    const [limited, retried] = attemptsOf(usersPage(1));
    expect(limited?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect(retried!.at - retried!.durationMs - limited!.at).toBeGreaterThanOrEqual(1900);
    expect(delays).toContain(2000);
    expect(await isArchived(app, 'user', PERSONAS.studentCjk)).toBe(true);
    await restoreAll();
  });

  it('row 33: 503 three times then 200 succeeds on the 4th try, after growing waits', async () => {
    app.sandbox.store.addFault({ path: '/sections', kind: '5xx', status: 503, times: 3, afterPages: 1 });
    const result = await syncDistrict(app);
    expect(result.status).toBe('succeeded');
    const page2 = calls.filter(
      (c) => c.path.startsWith('/v3.0/sections') && c.path.includes('starting_after'),
    );
    const tries = attemptsOf(page2[0]?.path);
    expect(tries.map((t) => [t.attempt, t.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 503],
      [4, 200],
    ]);
    // Full jitter: each wait lies under its cap, and the caps double (20, 40, 80 ms).
    expect(delays).toHaveLength(3);
    delays.forEach((d, n) => expect(d).toBeLessThan(20 * 2 ** n));
    await restoreAll();
  });

  it('row 33: 500 forever fails the run after exactly 1 + MAX_RETRIES attempts, archiving nothing', async () => {
    app.sandbox.store.addFault({ path: '/users', kind: '5xx', status: 500, afterPages: 1 });
    const result = await syncDistrict(app);
    expect(result.status).toBe('failed');
    expect(attemptsOf(usersPage(2))).toHaveLength(1 + MAX_RETRIES);
    await expectNothingArchived(result.runId);
  });

  it.each([400, 404, 501])(
    'row 34: a %i on page 2 is asked once, fails the run and archives nothing',
    async (status) => {
      app.sandbox.store.addFault({ path: '/users', kind: '5xx', status, afterPages: 1 });
      const result = await syncDistrict(app);
      expect(result.status).toBe('failed');
      const tries = attemptsOf(usersPage(2));
      expect(tries.map((t) => t.status)).toEqual([status]);
      await expectNothingArchived(result.runId);
    },
  );

  it.each<[string, FaultSpec['kind']]>([
    ['never answers', 'hang'],
    ['cuts its body off', 'truncated'],
    ['is malformed JSON', 'malformed'],
    ['links back to page 1', 'loop'],
  ])('row 35: page 3 %s: the run fails, archives nothing, and keeps pages 1–2', async (_label, kind) => {
    const first = app.sandbox.store
      .listUsers({ district: PERSONAS.districtId })
      .map((u) => u.id)
      .sort()[0]!;
    app.sandbox.store.rename('user', first, { first: 'Renamed', last: `Page-One-${kind}` });
    app.sandbox.store.addFault({ path: '/users', kind, afterPages: 2 });
    const result = await syncDistrict(app);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/Nothing was archived/);
    await expectNothingArchived(result.runId);
    expect(await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: first } })).toMatchObject({
      firstName: 'Renamed',
      lastName: `Page-One-${kind}`,
    });
    const run = await app.db.prisma.syncRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run.finishedAt).not.toBeNull();
  });

  it.each([
    ['60% of the students', 0.6],
    ['every student', 1],
  ])(
    'row 36: holds a sync that would unshare %s, archiving nothing, and raises an alert',
    async (_label, fraction) => {
      await setThreshold(app, null); // the default guard (MASS_CHANGE_THRESHOLD = 10%)
      try {
        const before = await app.db.prisma.user.count({ where: { archivedAt: null } });
        app.sandbox.store.shrink(PERSONAS.districtId, fraction);
        const logsBefore = app.logs.length;
        const result = await syncDistrict(app);
        expect(result.status).toBe('held');
        expect(result.heldBecause).toMatch(/users/);
        expect(await app.db.prisma.user.count({ where: { archivedAt: null } })).toBe(before);
        const alert = app.logs
          .slice(logsBefore)
          .map((line) => JSON.parse(line) as { level: number; msg: string; runId?: string })
          .find((l) => l.msg.startsWith('sync held for review'));
        expect(alert).toMatchObject({ level: 40, runId: result.runId });
      } finally {
        await setThreshold(app, 1);
      }
    },
  );
});
