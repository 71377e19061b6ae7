// Every event type an events sync reads — created, updated and deleted for districts, schools, terms,
// courses, sections and users, and users who gain or lose a role — is applied with the full sync's archive
// and restore semantics and the same audit trail (source "events", the run that did it).
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { isArchived, PERSONAS, setThreshold, startSyncTestApp, syncDistrict } from './helpers';

type Model = 'school' | 'term' | 'course' | 'section' | 'user';

describe(`event types in an events sync on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
    expect((await syncDistrict(app)).status).toBe('succeeded');
    // Unsharing a school takes its sections and users along: these tests are about each type's events,
    // not the mass-change guard (test/sync/events-fallbacks.test.ts), so this district allows any share.
    await setThreshold(app, 1);
  });
  afterAll(async () => {
    await app.close();
  });

  const eventsSync = async () => {
    const result = await syncDistrict(app, { events: true });
    expect(result.status).toBe('succeeded');
    const run = await app.db.prisma.syncRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run.kind).toBe('events'); // applied from events, not handed over to a full sync
    return result;
  };
  const model = (type: Model) =>
    app.db.prisma[type] as unknown as {
      findUniqueOrThrow(a: unknown): Promise<{ id: string; name?: string; lastName?: string | null }>;
    };

  it.each<[Model, () => string]>([
    ['school', () => PERSONAS.charterSchool],
    ['term', () => PERSONAS.duplicateTermIds[0]!],
    ['course', () => app.sandbox.store.listCourses(PERSONAS.districtId)[0]!.id],
    ['section', () => PERSONAS.coTaughtSection],
    ['user', () => PERSONAS.studentApostrophe],
  ])(
    '%s: updated renames, deleted archives, created restores the same row — all audited',
    async (type, idOf) => {
      const cleverId = idOf();
      const store = app.sandbox.store;
      const before = await model(type).findUniqueOrThrow({ where: { cleverId } });

      store.rename(
        type,
        cleverId,
        type === 'user' ? { first: 'Evie', last: 'Eventful' } : 'Renamed by event',
      );
      const updated = await eventsSync();
      expect(updated.counts[type].updated).toBe(1);
      const renamed = await model(type).findUniqueOrThrow({ where: { cleverId } });
      expect(type === 'user' ? renamed.lastName : renamed.name).toBe(
        type === 'user' ? 'Eventful' : 'Renamed by event',
      );

      store.unshare(type, cleverId);
      const deleted = await eventsSync();
      expect(deleted.counts[type].archived).toBe(1);
      expect(await isArchived(app, type, cleverId)).toBe(true);

      store.reshare(type, cleverId);
      const created = await eventsSync();
      expect(created.counts[type].restored).toBe(1);
      expect(await isArchived(app, type, cleverId)).toBe(false);
      expect((await model(type).findUniqueOrThrow({ where: { cleverId } })).id).toBe(before.id);

      const audit = await app.db.prisma.auditEvent.findMany({
        where: { recordId: before.id, source: 'events' },
        orderBy: { createdAt: 'asc' },
      });
      expect(audit.map((a) => [a.action, a.syncRunId])).toEqual([
        ['archived', deleted.runId],
        ['restored', created.runId],
      ]);
      expect(audit[0]!.reason).toBe('deleted or unshared in Clever (event)');
    },
  );

  it('user: a teacher who gains the staff role, then loses the teacher role', async () => {
    const store = app.sandbox.store;
    const teacher = PERSONAS.teacherNoSections;
    const teacherSchool = store.getUser(teacher)!.roles.teacher!.school;
    const otherSchool = store.listSchools(PERSONAS.districtId).find((s) => s.id !== teacherSchool)!.id;
    const user = () =>
      app.db.prisma.user.findUniqueOrThrow({
        where: { cleverId: teacher },
        include: { schoolMemberships: { include: { school: true } } },
      });
    const activeSchools = async () =>
      (await user()).schoolMemberships
        .filter((m) => m.archivedAt === null)
        .map((m) => m.school.cleverId)
        .sort();

    store.addRole(teacher, 'staff', otherSchool);
    await eventsSync();
    expect((await user()).roles.sort()).toEqual(['staff', 'teacher']);
    expect(await activeSchools()).toEqual([teacherSchool, otherSchool].sort());

    store.removeRole(teacher, 'teacher');
    const lost = await eventsSync();
    expect((await user()).roles).toEqual(['staff']);
    expect(await activeSchools()).toEqual([otherSchool]);
    expect(lost.counts.school_membership.archived).toBe(1);
    expect((await user()).archivedAt).toBeNull(); // still a user: only a role went
  });

  it('user: a student created in Clever arrives with their school', async () => {
    const school = app.sandbox.store.listSchools(PERSONAS.districtId)[0]!.id;
    const { user } = app.sandbox.store.createUser({
      district: PERSONAS.districtId,
      role: 'student',
      name: { first: 'Nova', last: 'Newcomer' },
      school,
    });
    const result = await eventsSync();
    expect(result.counts.user.created).toBe(1);
    const row = await app.db.prisma.user.findUniqueOrThrow({
      where: { cleverId: user.id },
      include: { schoolMemberships: { include: { school: true } } },
    });
    expect(row).toMatchObject({ roles: ['student'], lastName: 'Newcomer' });
    expect(row.schoolMemberships.map((m) => m.school.cleverId)).toEqual([school]);
    const audit = await app.db.prisma.auditEvent.findFirstOrThrow({ where: { recordId: row.id } });
    expect(audit).toMatchObject({ action: 'created', source: 'events', syncRunId: result.runId });
  });

  it('section: a section created in Clever arrives with its teacher and students', async () => {
    const store = app.sandbox.store;
    const existing = store.getSection(PERSONAS.coTaughtSection)!;
    const { section } = store.createSection({
      school: existing.school,
      name: 'Made by an event',
      teacher: existing.teacher!,
      students: existing.students.slice(0, 2),
    });
    const result = await eventsSync();
    expect(result.counts.section.created).toBe(1);
    expect(result.counts.section_membership.created).toBe(3);
    const row = await app.db.prisma.section.findUniqueOrThrow({
      where: { cleverId: section.id },
      include: { memberships: true },
    });
    expect(row.name).toBe('Made by an event');
    expect(row.memberships.every((m) => m.archivedAt === null)).toBe(true);
  });

  it('district: updated changes its state; created rewrites it; deleted keeps every record', async () => {
    const store = app.sandbox.store;
    const district = () =>
      app.db.prisma.district.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtId } });
    store.setDistrictState(PERSONAS.districtId, 'paused');
    await eventsSync();
    expect((await district()).cleverState).toBe('paused');

    // districts.created comes once per token (when the district shares with the app) and
    // districts.deleted only as the token dies: neither is a change the sandbox can make, so they are
    // injected as Clever would send them.
    const object = { ...store.getDistrict(PERSONAS.districtId)!, name: 'Sandbox ISD (renamed)' };
    store.injectEvent(PERSONAS.districtId, { type: 'districts.created', object });
    await eventsSync();
    expect((await district()).name).toBe('Sandbox ISD (renamed)');

    const active = await app.db.prisma.user.count({ where: { archivedAt: null } });
    store.injectEvent(PERSONAS.districtId, { type: 'districts.deleted', object });
    const deleted = await eventsSync();
    expect(deleted.counts.total.archived).toBe(0);
    expect(await app.db.prisma.user.count({ where: { archivedAt: null } })).toBe(active);
    expect((await district()).connection).toBe('connected'); // the token check decides that
    store.setDistrictState(PERSONAS.districtId, 'running');
    await eventsSync();
  });
});
