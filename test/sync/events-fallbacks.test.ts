// When an events sync cannot be trusted it hands over to a full sync: a cursor Clever does not know, one
// older than Clever keeps events (the app was down for days), and a feed that would archive more than the
// mass-change guard allows (held for review, exactly as a full sync would be). An event that cannot be
// read is skipped and counted; the run goes on.
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { districtIdOf, PERSONAS, startSyncTestApp, syncDistrict } from './helpers';

const DAY = 24 * 3600_000;

describe(`events sync fallbacks on ${backend}`, () => {
  let app: TestApp;
  const clock = { now: Date.now() };
  beforeAll(async () => {
    app = await startSyncTestApp({ sandbox: { clock: () => clock.now } });
    expect((await syncDistrict(app)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await app.close();
  });

  const runOf = (runId: string) => app.db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
  const district = () =>
    app.db.prisma.district.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtId } });
  const sectionName = async () =>
    (await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: PERSONAS.coTaughtSection } })).name;

  it('skips and counts events it cannot read, and applies the rest', async () => {
    const store = app.sandbox.store;
    store.rename('section', PERSONAS.coTaughtSection, 'Before the bad events');
    store.injectEvent(PERSONAS.districtId, { type: 'users.updated', object: { id: 'not-a-clever-id' } });
    store.injectEvent(PERSONAS.districtId, { type: 42, object: null }); // not even an event
    store.rename('section', PERSONAS.coTaughtSection, 'After the bad events');
    const result = await syncDistrict(app, { events: true });
    expect(result.status).toBe('succeeded');
    expect(result.counts.total.errors).toBe(2);
    expect(result.counts.user.errors).toBe(1);
    expect(await sectionName()).toBe('After the bad events');
    const run = await runOf(result.runId);
    expect(run.kind).toBe('events');
    expect(run.plan).toMatchObject({ events: { read: 4, skipped: 2 } });
    const events = store.listEvents(PERSONAS.districtId);
    expect((await district()).latestEventId).toBe(events[events.length - 1]!.event.id);
  });

  it('runs a full sync when Clever does not know the saved event id', async () => {
    await app.db.prisma.district.update({
      where: { cleverId: PERSONAS.districtId },
      data: { latestEventId: '000000000000000000000000' },
    });
    app.sandbox.store.rename('section', PERSONAS.coTaughtSection, 'Seen by the full sync');
    const result = await syncDistrict(app, { events: true });
    expect(result.status).toBe('succeeded');
    const run = await runOf(result.runId);
    expect(run.kind).toBe('full');
    expect(run.plan).toMatchObject({ handedOverBecause: 'Clever no longer knows the saved event id' });
    expect(await sectionName()).toBe('Seen by the full sync');
    expect((await district()).latestEventId).not.toBe('000000000000000000000000');
  });

  it("runs a full sync when the app was down longer than Clever's 30-day event retention", async () => {
    // Clever's side: five weeks later, the saved event has dropped off the feed.
    clock.now += 35 * DAY;
    app.sandbox.store.rename('section', PERSONAS.coTaughtSection, 'Five weeks later');
    const result = await syncDistrict(app, { events: true });
    expect(result.status).toBe('succeeded');
    const run = await runOf(result.runId);
    expect(run.kind).toBe('full');
    expect(await sectionName()).toBe('Five weeks later');
  });

  it('runs a full sync, without asking Clever for events, when its saved id is older than 29 days', async () => {
    // Our side: the last run that confirmed the cursor is a month old (the app's clock, not Clever's).
    const districtId = await districtIdOf(app);
    await app.db.pool.query(
      `UPDATE "SyncRun" SET "startedAt" = "startedAt" - interval '30 days', "createdAt" = "createdAt" - interval '30 days'
        WHERE "districtId" = $1::uuid`,
      [districtId],
    );
    app.sandbox.store.rename('section', PERSONAS.coTaughtSection, 'A month on our clock');
    const result = await syncDistrict(app, { events: true });
    const run = await runOf(result.runId);
    expect(run).toMatchObject({ kind: 'full', status: 'succeeded' });
    expect(run.plan).toMatchObject({
      handedOverBecause: expect.stringMatching(/older than Clever keeps events/),
    });
    expect(await sectionName()).toBe('A month on our clock');
  });

  it('holds a feed that would archive more than the mass-change guard allows, as a full sync would', async () => {
    const activeStudents = () =>
      app.db.prisma.user.count({ where: { roles: { has: 'student' }, archivedAt: null } });
    const before = await activeStudents();
    const cursor = (await district()).latestEventId;
    app.sandbox.store.shrink(PERSONAS.districtId, 0.5);
    const result = await syncDistrict(app, { events: true });
    expect(result.status).toBe('held');
    expect(result.heldBecause).toMatch(/users/);
    const run = await runOf(result.runId);
    expect(run.kind).toBe('full');
    expect(run.plan).toMatchObject({ handedOverBecause: 'the events would archive too much' });
    expect(await activeStudents()).toBe(before); // nothing archived until an admin approves
    expect((await district()).latestEventId).toBe(cursor);
  });
});
