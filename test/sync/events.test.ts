// The events sync: after a full sync, Clever's events feed is applied in order, idempotently.
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { isArchived, PERSONAS, setThreshold, startSyncTestApp, syncDistrict } from './helpers';

describe(`an events sync on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const district = () =>
    app.db.prisma.district.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtId } });

  it('starts with a full sync when none has completed yet', async () => {
    const result = await syncDistrict(app, { events: true });
    expect(result.status).toBe('succeeded');
    const run = await app.db.prisma.syncRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run.kind).toBe('full');
    expect(result.counts.user.created).toBe(79);
    await setThreshold(app, 1);
  });

  it('records the latest event id after a full sync', async () => {
    app.sandbox.store.rename('school', PERSONAS.charterSchool, 'Lighthouse Charter');
    expect((await syncDistrict(app)).status).toBe('succeeded');
    const events = app.sandbox.store.listEvents(PERSONAS.districtId);
    expect((await district()).latestEventId).toBe(events[events.length - 1]!.event.id);
    const school = await app.db.prisma.school.findUniqueOrThrow({
      where: { cleverId: PERSONAS.charterSchool },
    });
    expect(school.name).toBe('Lighthouse Charter');
  });

  it('applies created, updated and deleted events in order', async () => {
    const store = app.sandbox.store;
    const school = store.listSchools(PERSONAS.districtId)[0]!.id;
    const { user } = store.createUser({
      district: PERSONAS.districtId,
      role: 'student',
      name: { first: 'Nova', last: 'Newcomer' },
      school,
    });
    store.rename('section', PERSONAS.coTaughtSection, 'Renamed by an event');
    store.unshare('user', PERSONAS.studentSparse);
    store.addCoTeacher(PERSONAS.coTaughtSection, PERSONAS.teacherNoSections);

    const result = await syncDistrict(app, { events: true });
    expect(result.status).toBe('succeeded');
    expect(await app.db.prisma.user.findUnique({ where: { cleverId: user.id } })).toMatchObject({
      lastName: 'Newcomer',
    });
    const section = await app.db.prisma.section.findUniqueOrThrow({
      where: { cleverId: PERSONAS.coTaughtSection },
    });
    expect(section.name).toBe('Renamed by an event');
    expect(await isArchived(app, 'user', PERSONAS.studentSparse)).toBe(true);
    const coTeacher = await app.db.prisma.sectionMembership.findFirst({
      where: { sectionId: section.id, user: { cleverId: PERSONAS.teacherNoSections } },
    });
    expect(coTeacher).toMatchObject({ role: 'co_teacher', archivedAt: null });
    const events = store.listEvents(PERSONAS.districtId);
    expect((await district()).latestEventId).toBe(events[events.length - 1]!.event.id);
  });

  it('ends in the same state when the same events are applied again', async () => {
    // Events carry whole records as they were then: replaying them walks through those states again (a
    // co-teacher added by a later event is briefly left out) and ends exactly where it was.
    const state = async () =>
      JSON.stringify(
        (
          await app.db.pool.query(
            `SELECT (SELECT count(*) FROM "User" WHERE "archivedAt" IS NULL) AS users,
                    (SELECT count(*) FROM "Section" WHERE "archivedAt" IS NULL) AS sections,
                    (SELECT count(*) FROM "SectionMembership" WHERE "archivedAt" IS NULL) AS members,
                    (SELECT count(*) FROM "SchoolMembership" WHERE "archivedAt" IS NULL) AS schools,
                    (SELECT string_agg(name, ',' ORDER BY "cleverId") FROM "Section") AS names`,
          )
        ).rows,
      );
    const before = await district();
    const snapshot = await state();
    const full = await app.db.prisma.syncRun.findFirstOrThrow({
      where: { kind: 'full', status: 'succeeded', districtId: before.id },
      orderBy: { createdAt: 'desc' },
    });
    await app.db.prisma.district.update({
      where: { id: before.id },
      data: { latestEventId: full.eventCursor },
    });
    const result = await syncDistrict(app, { events: true });
    expect(result.status).toBe('succeeded');
    expect(result.counts.total.created).toBe(0);
    expect(await state()).toBe(snapshot);
    expect((await district()).latestEventId).toBe(before.latestEventId);
    // Nothing new upstream: the next events sync writes nothing at all.
    const again = await syncDistrict(app, { events: true });
    expect(again.counts.total).toMatchObject({ created: 0, updated: 0, archived: 0, restored: 0 });
  });

  it("archives a section's memberships on sections.deleted and restores them on sections.created", async () => {
    app.sandbox.store.unshare('section', PERSONAS.sectionWithUnsharedStudent);
    await syncDistrict(app, { events: true });
    const section = await app.db.prisma.section.findUniqueOrThrow({
      where: { cleverId: PERSONAS.sectionWithUnsharedStudent },
      include: { memberships: true },
    });
    expect(section.archivedAt).not.toBeNull();
    expect(section.memberships.every((m) => m.archivedAt !== null)).toBe(true);
    app.sandbox.store.reshare('section', PERSONAS.sectionWithUnsharedStudent);
    const result = await syncDistrict(app, { events: true });
    expect(result.counts.section.restored).toBe(1);
    expect(result.counts.section_membership.restored).toBe(section.memberships.length);
  });
});
