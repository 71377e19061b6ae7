// Sync jobs on pg-boss over the app's one pool: on-demand runs from the admin API, onboarding of newly
// connected districts, the daily schedule, and never two syncs of one district at once.
import type { TestApp } from '../helpers/app';
import { signInAs } from '../helpers/app';
import { backend } from '../helpers/db';
import { startScheduler } from '../../src/jobs/scheduler';
import { startWorkers } from '../../src/jobs/workers';
import { getRun, onboardDistricts, queueDistrictSyncs } from '../../src/sync/sync-api';
import { acquireDistrictLock } from '../../src/sync/lock/district-lock';
import { districtIdOf, PERSONAS, startSyncTestApp, syncDistrict } from './helpers';

async function waitForRun(app: TestApp, runId: string) {
  for (let i = 0; i < 150; i++) {
    const run = await getRun(app.services, { runId });
    if (!['queued', 'running'].includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe(`sync jobs on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp({ env: { SYNC_SCHEDULE: '30 3 * * *', SYNC_TIMEZONE: 'America/Chicago' } });
    await startWorkers(app.services);
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a newly connected district, adopting a matching local one, and syncs it at once', async () => {
    const local = await app.db.prisma.district.create({
      data: { name: 'Second (made by hand)', ncesId: '0612345' },
    });
    const { runIds, onboarding } = await queueDistrictSyncs(app.services, { scope: 'new' });
    expect(onboarding.connected.map((d) => d.cleverId).sort()).toEqual(
      [PERSONAS.districtId, PERSONAS.secondDistrictId].sort(),
    );
    expect(runIds).toHaveLength(2);
    for (const runId of runIds) {
      const run = await waitForRun(app, runId);
      expect(run).toMatchObject({ status: 'succeeded', trigger: 'onboarding' });
    }
    const adopted = await app.db.prisma.district.findUniqueOrThrow({ where: { id: local.id } });
    expect(adopted).toMatchObject({ cleverId: PERSONAS.secondDistrictId, connection: 'connected' });
    expect(await app.db.prisma.user.count({ where: { districtId: local.id } })).toBe(6);
    // Already synced: a later check queues nothing for them.
    expect((await queueDistrictSyncs(app.services, { scope: 'new' })).runIds).toEqual([]);
  });

  it('marks a district whose token disappeared as disconnected and keeps its data', async () => {
    const gone = await app.db.prisma.district.create({
      data: { name: 'Former ISD', cleverId: 'aaaaaaaaaaaaaaaaaaaaaaaa', connection: 'connected' },
    });
    await app.db.prisma.school.create({
      data: { districtId: gone.id, cleverId: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Old' },
    });
    const result = await onboardDistricts(app.services.sync);
    expect(result.disconnected).toEqual([{ districtId: gone.id, cleverId: gone.cleverId }]);
    expect((await app.db.prisma.district.findUniqueOrThrow({ where: { id: gone.id } })).connection).toBe(
      'disconnected',
    );
    expect(await app.db.prisma.school.count({ where: { districtId: gone.id, archivedAt: null } })).toBe(1);
  });

  it('runs an on-demand sync a district admin asks for', async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.districtAdmin);
    const started = await agent.post('/api/admin/sync').send({});
    expect(started.status).toBe(202);
    expect(started.body.runId).toEqual(expect.any(String));
    const run = await waitForRun(app, started.body.runId);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'admin', districtId: await districtIdOf(app) });
    const report = await agent.get(`/api/admin/sync/${started.body.runId}`);
    expect(report.body).toMatchObject({ status: 'succeeded', counts: { total: expect.any(Object) } });
  });

  it('refuses an on-demand sync to anyone but a district admin', async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.teacher);
    expect((await agent.post('/api/admin/sync').send({})).status).toBe(403);
  });

  it('schedules the daily sync in the configured time zone', async () => {
    await startScheduler(app.services.jobs, app.config);
    const rows = await app.db.pool.query(`SELECT name, cron, timezone FROM pgboss.schedule ORDER BY name`);
    expect(rows.rows).toContainEqual({
      name: 'sync-all-districts',
      cron: '30 3 * * *',
      timezone: 'America/Chicago',
    });
  });

  it('never runs two syncs of one district at once: the second is refused', async () => {
    const results = await Promise.all([syncDistrict(app), syncDistrict(app)]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual(['failed', 'succeeded']);
    expect(results.find((r) => r.status === 'failed')?.error).toMatch(
      /Another sync of this district is running/,
    );
  });

  it('takes over the lock of a worker that crashed, marking its run failed', async () => {
    const districtId = await districtIdOf(app);
    const crashed = await app.db.prisma.syncRun.create({
      data: { districtId, kind: 'full', trigger: 'schedule', status: 'running', startedAt: new Date() },
    });
    await acquireDistrictLock(app.db.sql, districtId, crashed.id, 60_000);
    expect((await syncDistrict(app)).status).toBe('failed'); // its lease is still valid
    // Two minutes without a heartbeat later:
    await app.db.pool.query(`UPDATE "SyncLock" SET "expiresAt" = now() - interval '1 second'`);
    expect((await syncDistrict(app)).status).toBe('succeeded');
    const after = await app.db.prisma.syncRun.findUniqueOrThrow({ where: { id: crashed.id } });
    expect(after.status).toBe('failed');
    expect(after.error).toMatch(/stopped before it finished/);
  });
});
