// The mass-change guard holds a run that would archive too much, until an admin approves or discards it;
// a school-year rollover reported by Clever passes.
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { approveHeldRun, discardHeldRun, getRunPlan } from '../../src/sync/sync-api';
import { districtIdOf, PERSONAS, setThreshold, startSyncTestApp, syncDistrict } from './helpers';

const activeStudents = (app: TestApp) =>
  app.db.prisma.user.count({ where: { roles: { has: 'student' }, archivedAt: null } });

describe(`the mass-change guard on ${backend}`, () => {
  let app: TestApp;
  let adminId: string;
  beforeAll(async () => {
    app = await startSyncTestApp();
    expect((await syncDistrict(app)).status).toBe('succeeded');
    adminId = (await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtAdmin } }))
      .id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('holds a sync that would unshare 60% of the students, archiving nothing', async () => {
    const before = await activeStudents(app);
    app.sandbox.store.shrink(PERSONAS.districtId, 0.6);
    const result = await syncDistrict(app);
    expect(result.status).toBe('held');
    expect(result.heldBecause).toMatch(/users/);
    expect(await activeStudents(app)).toBe(before);
    const plan = await getRunPlan(app.services, { runId: result.runId, recordType: 'user', limit: 1000 });
    expect(plan.items.length).toBe(Math.floor(before * 0.6));
    expect(plan.items[0]).toMatchObject({
      action: 'archive',
      reason: expect.stringMatching(/no longer shared/),
    });
  });

  it('archives nothing when the admin discards the held run', async () => {
    const held = await syncDistrict(app);
    expect(held.status).toBe('held');
    const before = await activeStudents(app);
    const discarded = await discardHeldRun(app.services, { runId: held.runId, actorId: adminId });
    expect(discarded.status).toBe('discarded');
    expect(await activeStudents(app)).toBe(before);
    await expect(approveHeldRun(app.services, { runId: held.runId, actorId: adminId })).rejects.toThrow(
      /not held/,
    );
  });

  it('archives exactly the plan when the admin approves the held run', async () => {
    const held = await syncDistrict(app);
    const planned = await getRunPlan(app.services, { runId: held.runId, recordType: 'user', limit: 1000 });
    const before = await activeStudents(app);
    const approved = await approveHeldRun(app.services, {
      runId: held.runId,
      actorId: adminId,
      districtId: await districtIdOf(app),
    });
    expect(approved.status).toBe('approved');
    expect(approved.counts.user.archived).toBe(planned.items.length);
    expect(await activeStudents(app)).toBe(before - planned.items.length);
    const audit = await app.db.prisma.auditEvent.count({
      where: { syncRunId: held.runId, action: 'archived', recordType: 'user', actorId: adminId },
    });
    expect(audit).toBe(planned.items.length);
    expect((await syncDistrict(app)).status).toBe('succeeded');
  });

  it("holds with the district's own threshold", async () => {
    app.sandbox.store.reset();
    await syncDistrict(app); // everyone is back
    await setThreshold(app, 0.01);
    app.sandbox.store.unshare('user', PERSONAS.studentNonAscii);
    expect((await syncDistrict(app)).status).toBe('held');
    await setThreshold(app, null);
    expect((await syncDistrict(app)).status).toBe('succeeded');
  });
});

describe(`a school-year rollover on ${backend}`, () => {
  it("archives last year's sections with their history and brings in the new ones, without a hold", async () => {
    const app = await startSyncTestApp();
    try {
      await syncDistrict(app);
      const student = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.student } });
      await app.db.prisma.progress.create({ data: { userId: student.id, activity: 'last-year' } });
      const oldSections = await app.db.prisma.section.findMany({ where: { archivedAt: null } });

      app.sandbox.store.rollover(PERSONAS.districtId);
      const result = await syncDistrict(app);
      expect(result.status).toBe('succeeded');
      expect(result.counts.section).toMatchObject({
        created: oldSections.length,
        archived: oldSections.length,
      });
      expect(result.counts.term.archived).toBe(3);
      const old = await app.db.prisma.section.findMany({
        where: { id: { in: oldSections.map((s) => s.id) } },
      });
      expect(old.every((s) => s.archivedAt !== null)).toBe(true);
      // History stays: last year's memberships are archived, not deleted, and progress is untouched.
      const history = await app.db.prisma.sectionMembership.count({
        where: { userId: student.id, archivedAt: { not: null } },
      });
      expect(history).toBeGreaterThan(0);
      expect(
        await app.db.prisma.sectionMembership.count({ where: { userId: student.id, archivedAt: null } }),
      ).toBe(history);
      expect(await app.db.prisma.progress.count({ where: { userId: student.id } })).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('holds the same change when Clever does not report a rollover', async () => {
    const app = await startSyncTestApp();
    try {
      await syncDistrict(app);
      app.sandbox.store.rollover(PERSONAS.districtId);
      app.sandbox.store.endRollover(PERSONAS.districtId);
      const result = await syncDistrict(app);
      expect(result.status).toBe('held');
      expect(result.heldBecause).toMatch(/sections/);
      expect(await app.db.prisma.section.count({ where: { archivedAt: { not: null } } })).toBe(0);
    } finally {
      await app.close();
    }
  });
});
