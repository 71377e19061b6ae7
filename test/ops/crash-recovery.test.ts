// A worker that dies mid-sync: its job comes back (pg-boss retries an expired job) to another worker, which
// records the dead run failed and redoes the sync as a new run — but waits for, and never duplicates, a run
// whose worker is alive. Runs no job will retry are recorded failed once their lease lapses.
import { failAbandonedRuns } from '../../src/jobs/fail-abandoned-runs';
import { executeRun } from '../../src/sync/sync-api';
import { STOPPED_ERROR } from '../../src/sync/runs/run-status';
import { acquireDistrictLock } from '../../src/sync/lock/district-lock';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { districtIdOf, PERSONAS, startSyncTestApp, syncDistrict } from '../sync/helpers';

describe(`a sync whose worker died, on ${backend}`, () => {
  let app: TestApp;
  let districtId: string;
  beforeAll(async () => {
    app = await startSyncTestApp({ env: { SYNC_LOCK_TTL_SECONDS: '3' } });
    expect((await syncDistrict(app)).status).toBe('succeeded');
    districtId = await districtIdOf(app);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A run some worker marked running under a lease, as `executeRun` leaves it when its process dies. */
  async function runLeftRunning(leaseMs: number, props: { trigger?: string } = {}) {
    const run = await app.db.prisma.syncRun.create({
      data: {
        districtId,
        kind: 'full',
        trigger: props.trigger ?? 'schedule',
        status: 'running',
        startedAt: new Date(),
      },
    });
    await app.db.pool.query(`DELETE FROM "SyncLock"`);
    await acquireDistrictLock(app.db.sql, districtId, run.id, leaseMs);
    return run;
  }

  it('records the dead run failed and redoes the sync as a new run once the lease lapses', async () => {
    const dead = await runLeftRunning(1500, { trigger: 'admin' });
    app.sandbox.store.unshare('user', PERSONAS.studentNoSections);

    const result = await executeRun(app.services.sync, dead.id, { lockWaitMs: 20_000 });

    expect(result.runId).not.toBe(dead.id);
    expect(result.status).toBe('succeeded');
    const runs = await app.db.prisma.syncRun.findMany({
      where: { id: { in: [dead.id, result.runId] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(runs.map((r) => [r.status, r.trigger])).toEqual([
      ['failed', 'admin'],
      ['succeeded', 'admin'],
    ]);
    expect(runs[0].error).toBe(STOPPED_ERROR);
    expect(runs[0].finishedAt!.getTime()).toBeLessThanOrEqual(runs[1].startedAt!.getTime());
    const archived = await app.db.prisma.auditEvent.findMany({
      where: { action: 'archived', recordType: 'user', cleverId: PERSONAS.studentNoSections },
    });
    expect(archived.map((a) => a.syncRunId)).toEqual([result.runId]);
  });

  it('waits for a run whose worker is alive and reports it, without running the district twice', async () => {
    const alive = await runLeftRunning(60_000);
    const runsBefore = await app.db.prisma.syncRun.count();
    // The live worker finishes a moment later.
    setTimeout(() => {
      void app.db.pool.query(
        `UPDATE "SyncRun" SET status = 'succeeded', "finishedAt" = now() WHERE id = $1::uuid`,
        [alive.id],
      );
    }, 1500);
    const result = await executeRun(app.services.sync, alive.id, { lockWaitMs: 20_000 });
    expect(result).toMatchObject({ runId: alive.id, status: 'succeeded' });
    expect(await app.db.prisma.syncRun.count()).toBe(runsBefore);
  });

  it('gives up waiting for a live run after the wait, leaving it running', async () => {
    const alive = await runLeftRunning(60_000);
    const result = await executeRun(app.services.sync, alive.id, { lockWaitMs: 0 });
    expect(result).toMatchObject({ runId: alive.id, status: 'running' });
    await app.db.pool.query(`UPDATE "SyncRun" SET status = 'failed' WHERE id = $1::uuid`, [alive.id]);
  });

  it('records a run no job will retry as failed once its lease lapsed, and leaves the others', async () => {
    await app.services.jobs.start();
    const orphan = await runLeftRunning(1);
    const leased = await app.db.prisma.syncRun.create({
      data: { districtId, kind: 'full', trigger: 'schedule', status: 'running', startedAt: new Date() },
    });
    await acquireDistrictLock(app.db.sql, (await otherDistrict()).id, leased.id, 60_000);
    const retried = await app.db.prisma.syncRun.create({
      data: { districtId, kind: 'full', trigger: 'schedule', status: 'running', startedAt: new Date() },
    });
    await app.db.pool.query(
      `INSERT INTO pgboss.job (name, data, state, policy, singleton_key)
       VALUES ('sync-district', $1::jsonb, 'active', 'singleton', 'x')`,
      [JSON.stringify({ runId: retried.id })],
    );
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await failAbandonedRuns(app.db.sql)).toEqual([orphan.id]);
    const after = await app.db.prisma.syncRun.findUniqueOrThrow({ where: { id: orphan.id } });
    expect(after).toMatchObject({ status: 'failed', error: STOPPED_ERROR });
    for (const id of [leased.id, retried.id]) {
      expect((await app.db.prisma.syncRun.findUniqueOrThrow({ where: { id } })).status).toBe('running');
    }
    await app.db.pool.query(`DELETE FROM pgboss.job WHERE name = 'sync-district'`);
  });

  async function otherDistrict() {
    return app.db.prisma.district.findUniqueOrThrow({ where: { cleverId: PERSONAS.secondDistrictId } });
  }
});
