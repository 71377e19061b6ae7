// Operations at district scale, proven with real processes on one machine: two app instances behind a
// round-robin load balancer and two sync workers, all on one PostgreSQL database, with the Clever sandbox as
// its own process. Sessions work on either instance; syncs spread over both workers, never two at once for
// one district; a worker killed mid-sync leaves nothing half-archived and the other worker finishes the job.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { createRun } from '../../src/sync/sync-api';
import { STOPPED_ERROR } from '../../src/sync/runs/run-status';
import { lockDataDir } from '../../src/db/data-dir-lock';
import { createJobQueue, type JobQueue } from '../../src/jobs/queue';
import { createLogger } from '../../src/logger';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { freePort, startChild, startRoundRobinProxy, type Child, type RoundRobinProxy } from './children';
import { metric } from './prometheus';

const isPostgres = Boolean(process.env.TEST_DATABASE_URL);
const describeOnPostgres = isPostgres ? describe : describe.skip;
const TITLE = `scale-out: two app instances and two workers on one PostgreSQL server${
  isPostgres ? '' : ' (skipped: needs TEST_DATABASE_URL; processes cannot share the embedded database)'
}`;

/** Short enough that a killed worker's job moves on within the test; a real deployment keeps the defaults. */
const JOB_EXPIRE_SECONDS = 20;
const SCALE_STUDENTS = 4000;
const SESSION_SECRET = 'scale-out-test-session-secret-0123456789abcdef';

// What the embedded run proves instead: a second process is refused the embedded database, with the way out.
(isPostgres ? it.skip : it)(
  'refuses a second process on the embedded database and says to use PostgreSQL to scale out',
  async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-scale-out-'));
    const lock = lockDataDir(dataDir); // this process stands for the running app
    try {
      const worker = startChild('worker', 'src/cli/worker.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
      expect(await worker.exited).toMatchObject({ code: 1 });
      expect(worker.lines.join('\n')).toMatch(/in use by another process.*set DATABASE_URL/s);
    } finally {
      lock.release();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
  60_000,
);

describeOnPostgres(TITLE, () => {
  let db: TestDatabase;
  let proxy: RoundRobinProxy;
  let sandbox: Child;
  let sandboxUrl: string;
  let apps: Child[] = [];
  let appUrls: string[] = [];
  let workers: Child[] = [];
  let workerUrls: string[] = [];
  let queue: JobQueue;
  const districtIds: Record<string, string> = {};
  const signedIn: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await startRoundRobinProxy();
    const [sandboxPort, ...ports] = await Promise.all([1, 2, 3, 4, 5].map(() => freePort()));
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    appUrls = ports.slice(0, 2).map((p) => `http://127.0.0.1:${p}`);
    workerUrls = ports.slice(2, 4).map((p) => `http://127.0.0.1:${p}`);

    sandbox = startChild('sandbox', 'src/sandbox/main.ts', {
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_REDIRECT_URIS: [proxy.url, ...appUrls].map((u) => `${u}/auth/clever/callback`).join(','),
      SANDBOX_SCALE_STUDENTS: String(SCALE_STUDENTS),
    });
    // It prints each district with its token after it listens: Scale USD comes last.
    await sandbox.waitForLine((l) => /^\s+Scale USD [0-9a-f]{24}\s+token /.test(l), 60_000);
    for (const line of sandbox.lines) {
      const match = /^\s+(.+?) ([0-9a-f]{24})\s+token /.exec(line);
      if (match) districtIds[match[1]] = match[2];
    }
    expect(Object.keys(districtIds).sort()).toEqual(['Sandbox ISD', 'Scale USD', 'Second District']);

    const common = {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: db.url!,
      DATABASE_POOL_SIZE: '3',
      SESSION_SECRET,
      CLEVER_CLIENT_ID: 'sandbox-client',
      CLEVER_CLIENT_SECRET: 'sandbox-secret',
      CLEVER_OAUTH_URL: sandboxUrl,
      CLEVER_API_URL: sandboxUrl,
      SYNC_PAGE_SIZE: '100',
      SYNC_JOB_EXPIRE_SECONDS: String(JOB_EXPIRE_SECONDS),
      SYNC_LOCK_TTL_SECONDS: '4',
      SIGNIN_RATE_LIMIT: '1000',
    };
    apps = appUrls.map((url, i) =>
      startChild(`app-${i}`, 'src/server.ts', {
        ...common,
        PORT: new URL(url).port,
        BASE_URL: proxy.url,
        TRUST_PROXY: 'loopback',
        RUN_WORKERS: 'false',
      }),
    );
    proxy.setBackends(appUrls);
    workers = workerUrls.map((url, i) =>
      startChild(`worker-${i}`, 'src/cli/worker.ts', { ...common, WORKER_PORT: new URL(url).port }),
    );
    await Promise.all([
      ...apps.map((a) => a.waitForLine((l) => l.includes('clever-provisioner is listening'), 90_000)),
      ...workers.map((w) => w.waitForLine((l) => l.includes('sync worker running'), 90_000)),
    ]);
    queue = createJobQueue({
      pool: db.pool,
      logger: createLogger('silent'),
      isSupervisor: false,
      syncExpireSeconds: JOB_EXPIRE_SECONDS,
    });
  }, 120_000);

  afterAll(async () => {
    await queue?.stop();
    await Promise.all([...apps, ...workers, sandbox].filter(Boolean).map((c) => c.stop()));
    await proxy?.close();
    await db?.close();
  }, 60_000);

  it('keeps a session made on one instance valid on the other, with sign-ins alternating between them', async () => {
    for (const person of [
      PERSONAS.teacher,
      PERSONAS.student,
      PERSONAS.districtAdmin,
      PERSONAS.studentTwoSchools,
    ]) {
      const cookie = await signInThroughProxy(person);
      signedIn.push(cookie);
      // Three requests per flow through the balancer: the next flow starts on the other instance.
      expect((await fetch(`${proxy.url}/api/me`, { headers: { cookie } })).status).toBe(200);
      for (const app of appUrls) {
        const me = await fetch(`${app}/api/me`, { headers: { cookie } });
        expect(me.status).toBe(200);
        expect(((await me.json()) as { cleverId: string }).cleverId).toBe(person);
      }
    }
    // The OAuth state written by one instance was checked by the other: each flow crossed instances.
    const starts = proxy.served.filter(([, , p]) => p === '/auth/clever').map(([i]) => i);
    const callbacks = proxy.served.filter(([, , p]) => p.startsWith('/auth/clever/callback')).map(([i]) => i);
    expect(starts).toHaveLength(4);
    starts.forEach((instance, flow) => expect(callbacks[flow]).not.toBe(instance));
    expect(new Set(callbacks)).toEqual(new Set([0, 1]));

    // Signing out on one instance ends the session on both.
    const logout = await fetch(`${proxy.url}/logout`, {
      method: 'POST',
      headers: { cookie: signedIn[0], origin: proxy.url, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(logout.status).toBe(204);
    for (const app of appUrls) {
      expect((await fetch(`${app}/api/me`, { headers: { cookie: signedIn[0] } })).status).toBe(401);
    }
  }, 60_000);

  it('gives every connected district its first sync on the workers, one at a time per district', async () => {
    const local = await waitFor(
      async () => {
        const rows = await db.prisma.district.findMany({
          where: { cleverId: { in: Object.values(districtIds) } },
          include: { syncRuns: true },
        });
        const done = rows.filter((d) => d.syncRuns.some((r) => r.status === 'succeeded'));
        const busy = rows.some((d) =>
          d.syncRuns.some((r) => r.status === 'running' || r.status === 'queued'),
        );
        return rows.length === 3 && done.length === 3 && !busy ? rows : null;
      },
      90_000,
      { explain: () => describeRuns(db.pool) },
    );
    expect(local.map((d) => d.name).sort()).toEqual(['Sandbox ISD', 'Scale USD', 'Second District']);
    await expectNoOverlappingRuns(db.pool);
  }, 100_000);

  it('finishes the sync of a worker killed mid-way on the other worker, archiving nothing twice', async () => {
    const scale = await db.prisma.district.findUniqueOrThrow({
      where: { cleverId: districtIds['Scale USD'] },
    });
    const isd = await db.prisma.district.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtId } });
    const second = await db.prisma.district.findUniqueOrThrow({
      where: { cleverId: PERSONAS.secondDistrictId },
    });
    const activeBefore = await db.prisma.user.count({ where: { districtId: scale.id, archivedAt: null } });

    // Clever stops sharing 5% of Scale USD's students (under the mass-change guard) and one ISD student.
    const shrunk = await control('shrink', { districtId: districtIds['Scale USD'], fraction: 0.05 });
    const unshared = (shrunk.events as Array<{ type: string; data: { object: { id: string } } }>)
      .filter((e) => e.type === 'users.deleted')
      .map((e) => e.data.object.id);
    expect(unshared.length).toBe(SCALE_STUDENTS * 0.05);
    await control('unshare', { type: 'user', id: PERSONAS.studentNoSections });

    // Three districts at once; the long one first, so each worker takes one and the other does the rest.
    const runIds: Record<string, string> = {};
    for (const district of [scale, isd, second]) {
      runIds[district.id] = await createRun(db, { districtId: district.id, kind: 'full', trigger: 'admin' });
      await queue.enqueue({ runId: runIds[district.id], districtId: district.id });
    }
    const killedRunId = runIds[scale.id];

    // Kill the worker running Scale USD while it is reading users: nothing is archived yet.
    await waitFor(
      async () => {
        const seen = await db.pool.query(
          `SELECT counts->'progress'->>'collection' AS collection FROM "SyncRun" WHERE id = $1::uuid`,
          [killedRunId],
        );
        return seen.rows[0]?.collection === 'users' ? true : null;
      },
      60_000,
      { pollMs: 20, explain: () => describeRuns(db.pool) },
    );
    const victim = workers.find((w) => startedRuns(w).includes(killedRunId))!;
    const survivor = workers.find((w) => w !== victim)!;
    victim.process.kill('SIGKILL');
    expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });
    const atKill = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: killedRunId } });
    expect(atKill.status).toBe('running');
    expect(await db.prisma.auditEvent.count({ where: { syncRunId: killedRunId } })).toBe(0);

    // After the job's expiry the survivor takes it up, records the dead run failed and syncs again.
    const retry = await waitFor(
      () =>
        db.prisma.syncRun.findFirst({
          where: {
            districtId: scale.id,
            createdAt: { gt: atKill.createdAt },
            status: { in: ['succeeded', 'failed', 'held'] },
          },
        }),
      JOB_EXPIRE_SECONDS * 1000 + 80_000,
      { explain: () => describeRuns(db.pool) },
    );
    expect(retry).toMatchObject({ status: 'succeeded', trigger: 'admin', kind: 'full' });
    const killed = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: killedRunId } });
    expect(killed).toMatchObject({ status: 'failed', error: STOPPED_ERROR });
    expect(killed.finishedAt!.getTime()).toBeLessThanOrEqual(retry.startedAt!.getTime());
    // The worker logs the job's end after it recorded the run: its log line may arrive a moment later.
    await waitFor(
      async () =>
        survivor
          .logs()
          .some((l) => l.msg === 'sync job finished' && l.runId === killedRunId && l.finalRunId === retry.id)
          ? true
          : null,
      15_000,
    );

    // The other districts ran on the survivor meanwhile: both workers did syncs.
    for (const district of [isd, second]) {
      const run = await waitFor(async () => {
        const r = await db.prisma.syncRun.findUniqueOrThrow({ where: { id: runIds[district.id] } });
        return ['queued', 'running'].includes(r.status) ? null : r;
      }, 30_000);
      expect(run.status).toBe('succeeded');
    }
    expect(startedRuns(survivor)).toEqual(expect.arrayContaining([runIds[isd.id]]));

    // Nothing lost, nothing archived twice.
    const duplicates = await db.pool.query(
      `SELECT "recordType", "recordId", count(*)::int AS n FROM "AuditEvent" WHERE action = 'archived'
        GROUP BY 1, 2 HAVING count(*) > 1`,
    );
    expect(duplicates.rows).toEqual([]);
    const archivedUsers = await db.prisma.auditEvent.findMany({
      where: { districtId: scale.id, recordType: 'user', action: 'archived' },
    });
    expect(archivedUsers.map((a) => a.cleverId).sort()).toEqual([...unshared].sort());
    expect(new Set(archivedUsers.map((a) => a.syncRunId))).toEqual(new Set([retry.id]));
    expect(await db.prisma.user.count({ where: { districtId: scale.id, archivedAt: null } })).toBe(
      activeBefore - unshared.length,
    );
    const archivedNow = await db.prisma.user.findMany({
      where: { districtId: scale.id, archivedAt: { not: null } },
      select: { cleverId: true },
    });
    expect(archivedNow.map((u) => u.cleverId).sort()).toEqual([...unshared].sort());
    const gone = await db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.studentNoSections } });
    expect(gone.archivedAt).not.toBeNull();
    await expectNoOverlappingRuns(db.pool);
  }, 200_000);

  it('shows on each process what it did: sign-ins on the instances, syncs on the workers', async () => {
    const scrape = async (url: string) => {
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      return res.text();
    };
    const appMetrics = await Promise.all(appUrls.map(scrape));
    const signIns = appMetrics.map((text) => metric(text, 'clever_sign_ins_total'));
    expect(signIns.reduce((a, b) => a + b, 0)).toBe(4);
    expect(signIns.every((n) => n > 0)).toBe(true);
    for (const url of appUrls) expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const survivorUrl =
      workerUrls[workers.findIndex((w) => w.process.exitCode === null && !w.process.signalCode)];
    const text = await scrape(survivorUrl);
    expect(metric(text, 'sync_runs_total', { kind: 'full', status: 'abandoned' })).toBe(1);
    expect(metric(text, 'sync_runs_total', { kind: 'full', status: 'succeeded' })).toBeGreaterThanOrEqual(2);
    expect(metric(text, 'sync_records_total', { source: 'sync', type: 'user', change: 'archived' })).toBe(
      SCALE_STUDENTS * 0.05 + 1,
    );
    expect(metric(text, 'clever_api_requests_total', { endpoint: '/users' })).toBeGreaterThan(0);
    expect(text).toContain('job_queue_depth{queue="sync-district",state="active"}');
  }, 30_000);

  async function signInThroughProxy(cleverUserId: string): Promise<string> {
    let cookie = '';
    const get = async (url: string) => {
      const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      const set = res.headers.getSetCookie().map((c) => c.split(';')[0]);
      if (set.length) cookie = set.join('; ');
      return res;
    };
    const start = await get(`${proxy.url}/auth/clever`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('user', cleverUserId);
    const clever = await fetch(authorize, { redirect: 'manual' });
    const back = new URL(clever.headers.get('location')!);
    expect(back.origin).toBe(proxy.url);
    const callback = await get(back.toString());
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/');
    return cookie;
  }

  async function control(action: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${sandboxUrl}/__sandbox/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(sandboxUrl).origin },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }
});

/** The run ids a worker took from the queue, from its log. */
function startedRuns(worker: Child): string[] {
  return worker
    .logs()
    .filter((l) => l.msg === 'sync job started')
    .map((l) => String(l.runId));
}

async function waitFor<T>(
  probe: () => Promise<T | null>,
  timeoutMs: number,
  options: { pollMs?: number; explain?: () => Promise<string> } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `gave up after ${timeoutMs} ms${options.explain ? `:\n${await options.explain()}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}

/** Every sync run, for a failure message. */
async function describeRuns(pool: Pool): Promise<string> {
  const rows = await pool.query(
    `SELECT d.name, r.id, r.status, r.trigger, r."startedAt", r."finishedAt", r.error
       FROM "SyncRun" r JOIN "District" d ON d.id = r."districtId" ORDER BY r."createdAt"`,
  );
  const jobs = await pool.query(`SELECT name, state, data, retry_count FROM pgboss.job ORDER BY created_on`);
  return JSON.stringify({ runs: rows.rows, jobs: jobs.rows }, null, 1);
}

/** Never two syncs of one district at once: each run of a district ends before the next one starts. */
async function expectNoOverlappingRuns(pool: Pool): Promise<void> {
  const rows = await pool.query(
    `SELECT "districtId", id, "startedAt", "finishedAt" FROM "SyncRun"
      WHERE NOT "isDryRun" AND "startedAt" IS NOT NULL ORDER BY "districtId", "startedAt"`,
  );
  for (let i = 1; i < rows.rows.length; i++) {
    const [before, after] = [rows.rows[i - 1], rows.rows[i]];
    if (before.districtId !== after.districtId) continue;
    expect(before.finishedAt).not.toBeNull();
    expect(before.finishedAt.getTime()).toBeLessThanOrEqual(after.startedAt.getTime());
  }
}
