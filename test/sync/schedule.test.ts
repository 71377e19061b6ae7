// The schedules run for real: pg-boss's cron fires, the job queue hands the work to the workers, and the
// runs appear in the history — the daily full sync, and the events sync that brings a change made in the
// sandbox into the app without anyone signing in. Short schedules (every minute) stand in for the defaults.
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { listRecentRuns, queueEventsSyncs } from '../../src/sync/sync-api';
import { acquireDistrictLock } from '../../src/sync/lock/district-lock';
import { districtIdOf, PERSONAS, startSyncTestApp, syncDistrict } from './helpers';

const NEVER = '0 0 1 1 *'; // midnight on January 1st: never during a test run in practice

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, seconds = 300) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Ends the schedules and waits for the work they started, so closing the app interrupts nothing. */
async function settle(app: TestApp) {
  const boss = await app.services.jobs.start();
  for (const name of ['sync-all-districts', 'sync-events', 'onboard-districts']) await boss.unschedule(name);
  await waitFor('the queues to drain', async () => {
    const busy = await app.db.pool.query(
      `SELECT (SELECT count(*) FROM "SyncRun" WHERE status IN ('queued', 'running'))::int
            + (SELECT count(*) FROM pgboss.job WHERE state IN ('created', 'retry', 'active')
                 AND left(name, 8) <> '__pgboss')::int AS n`,
    );
    return Number(busy.rows[0].n) === 0;
  });
}

/** A change through the sandbox's control API, as a person at the /__sandbox page makes it. */
async function control(app: TestApp, path: string, body: object) {
  const res = await fetch(`${app.sandbox.url}/__sandbox${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: new URL(app.sandbox.url).origin },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
}

describe(`the daily schedule on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp({
      env: { RUN_WORKERS: 'true', SYNC_SCHEDULE: '* * * * *', SYNC_EVENTS_INTERVAL_MINUTES: '0' },
    });
  });
  afterAll(async () => {
    await settle(app);
    await app.close();
  }, 200_000);

  it('fires, and the worker runs a full sync of every district through the job queue', async () => {
    expect((await syncDistrict(app)).status).toBe('succeeded'); // not new: only the schedule syncs it again
    const districtId = await districtIdOf(app);
    await app.services.afterListen!(); // what `npm start` does once it listens: workers and schedules
    const run = await waitFor('a scheduled full sync', async () =>
      app.db.prisma.syncRun.findFirst({
        where: { districtId, trigger: 'schedule', status: { notIn: ['queued', 'running'] } },
      }),
    );
    expect(run).toMatchObject({ kind: 'full', status: 'succeeded' });
    const history = await listRecentRuns(app.services, { districtId });
    expect(history.find((r) => r.id === run.id)).toMatchObject({ trigger: 'schedule', kind: 'full' });
    // Events are off (0): no events schedule, no events run.
    const schedules = await app.db.pool.query(`SELECT name FROM pgboss.schedule`);
    expect(schedules.rows.map((r) => r.name)).not.toContain('sync-events');
    expect(await app.db.prisma.syncRun.count({ where: { kind: 'events' } })).toBe(0);
  }, 360_000);
});

describe(`the events schedule on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp({
      env: { RUN_WORKERS: 'true', SYNC_SCHEDULE: NEVER, SYNC_EVENTS_INTERVAL_MINUTES: '1' },
    });
  });
  afterAll(async () => {
    await settle(app);
    await app.close();
  }, 200_000);

  const sectionName = async () =>
    (await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: PERSONAS.coTaughtSection } })).name;

  it('brings a change made in the sandbox into the app without anyone signing in', async () => {
    expect((await syncDistrict(app)).status).toBe('succeeded');
    const districtId = await districtIdOf(app);
    await app.services.afterListen!();
    // The first tick comes at start; a change made after it arrives with the next one.
    const first = await waitFor('the first scheduled events run', () =>
      app.db.prisma.syncRun.findFirst({
        where: { districtId, kind: 'events', trigger: 'schedule', status: 'succeeded' },
      }),
    );
    await control(app, '/rename', {
      type: 'section',
      id: PERSONAS.coTaughtSection,
      name: 'Renamed in Clever',
    });
    expect(await sectionName()).not.toBe('Renamed in Clever');
    await waitFor('the rename to arrive', async () => (await sectionName()) === 'Renamed in Clever');
    const applied = await app.db.prisma.syncRun.findFirstOrThrow({
      where: { districtId, kind: 'events', status: 'succeeded', createdAt: { gt: first.createdAt } },
      orderBy: { createdAt: 'asc' },
    });
    expect(applied).toMatchObject({ trigger: 'schedule' });
    expect(applied.counts).toMatchObject({ section: { updated: 1 } });
  }, 360_000);

  it('records a skipped events run while another sync of the district holds its lock', async () => {
    const districtId = await districtIdOf(app);
    const full = await app.db.prisma.syncRun.create({
      data: { districtId, kind: 'full', trigger: 'cli', status: 'running', startedAt: new Date() },
    });
    await acquireDistrictLock(app.db.sql, districtId, full.id, 60_000);
    try {
      // The tick finds the full sync running: the history says so instead of queueing a run.
      await app.db.prisma.syncRun.updateMany({
        where: { kind: 'events' },
        data: { createdAt: new Date(Date.now() - 3600_000) },
      });
      const tick = await queueEventsSyncs(app.services, { intervalMinutes: 1 });
      const ours = { districtId, kind: 'events' as const, createdAt: { gt: full.createdAt } };
      expect(await app.db.prisma.syncRun.count({ where: { ...ours, status: 'queued' } })).toBe(0);
      const skipped = await app.db.prisma.syncRun.findFirstOrThrow({ where: { ...ours, status: 'skipped' } });
      expect(tick.skippedRunIds).toContain(skipped.id);
      expect(skipped).toMatchObject({ trigger: 'schedule' });
      expect(skipped.error).toMatch(/another sync of this district was running/);
      // An events run that starts while the lock is held (the CLI's) is skipped too, not failed.
      const cli = await syncDistrict(app, { events: true });
      expect(cli.status).toBe('skipped');
      expect(cli.error).toMatch(/another sync of this district was running/);
    } finally {
      await app.db.prisma.syncRun.update({ where: { id: full.id }, data: { status: 'failed' } });
      await app.db.pool.query(`DELETE FROM "SyncLock"`);
    }
  });
});
