// Upstream changes reach the app through a full sync: unshared records are archived with their reason and
// restored as the same row when shared again; moves and co-teacher changes follow Clever's rosters.
import type { TestApp } from '../helpers/app';
import { signInAs } from '../helpers/app';
import { backend } from '../helpers/db';
import { isArchived, PERSONAS, setThreshold, startSyncTestApp, syncDistrict } from './helpers';

type Model = 'school' | 'term' | 'course' | 'section' | 'user';

describe(`upstream changes in a full sync on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
    expect((await syncDistrict(app)).status).toBe('succeeded');
    // One record of a five-school district is more than 10% of its schools: these tests are about
    // archiving, not the guard (test/sync/guard.test.ts), so this district allows any share.
    await setThreshold(app, 1);
  });
  afterAll(async () => {
    await app.close();
  });

  const auditOf = (recordId: string) =>
    app.db.prisma.auditEvent.findMany({ where: { recordId }, orderBy: { createdAt: 'asc' } });

  it.each<[Model, () => string]>([
    ['school', () => PERSONAS.charterSchool],
    ['term', () => PERSONAS.duplicateTermIds[0]!],
    ['course', () => app.sandbox.store.listCourses(PERSONAS.districtId)[0]!.id],
    ['section', () => PERSONAS.coTaughtSection],
    ['user', () => PERSONAS.studentApostrophe],
  ])(
    'archives a %s Clever stopped sharing, and restores the same row when it is shared again',
    async (type, idOf) => {
      const cleverId = idOf();
      const model = app.db.prisma[type] as unknown as {
        findUniqueOrThrow(a: unknown): Promise<{ id: string; archiveReason: string | null }>;
      };
      const before = await model.findUniqueOrThrow({ where: { cleverId } });

      app.sandbox.store.unshare(type, cleverId);
      const gone = await syncDistrict(app);
      expect(gone.status).toBe('succeeded');
      expect(gone.counts[type].archived).toBeGreaterThanOrEqual(1);
      expect(await isArchived(app, type, cleverId)).toBe(true);
      expect((await model.findUniqueOrThrow({ where: { cleverId } })).archiveReason).toMatch(
        /no longer shared/,
      );

      app.sandbox.store.reshare(type, cleverId);
      const back = await syncDistrict(app);
      expect(back.counts[type].restored).toBeGreaterThanOrEqual(1);
      const after = await model.findUniqueOrThrow({ where: { cleverId } });
      expect(after.id).toBe(before.id);
      expect(await isArchived(app, type, cleverId)).toBe(false);
      expect((await auditOf(before.id)).map((e) => e.action)).toEqual(
        expect.arrayContaining(['archived', 'restored']),
      );
    },
  );

  it('keeps a section linked to its term while the term is unshared', async () => {
    const section = app.sandbox.store
      .listSections(PERSONAS.districtId)
      .find((s) => s.term_id === PERSONAS.duplicateTermIds[1])!;
    const before = await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: section.id } });
    app.sandbox.store.unshare('term', PERSONAS.duplicateTermIds[1]!);
    await syncDistrict(app);
    const during = await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: section.id } });
    expect(during).toMatchObject({ termId: before.termId, archivedAt: null });
    app.sandbox.store.reshare('term', PERSONAS.duplicateTermIds[1]!);
    await syncDistrict(app);
  });

  it('signs out a user the sync archives, and keeps their progress', async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.student);
    expect((await agent.post('/api/progress').send({ activity: 'lesson-1', score: 0.8 })).status).toBe(201);
    app.sandbox.store.unshare('user', PERSONAS.student);
    await syncDistrict(app);
    expect((await agent.get('/api/me')).status).toBe(401);
    app.sandbox.store.reshare('user', PERSONAS.student);
    await syncDistrict(app);
    const user = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.student } });
    expect(await app.db.prisma.progress.count({ where: { userId: user.id } })).toBe(1);
  });

  it('moves a student from one section to another, archiving the old membership', async () => {
    const sections = app.sandbox.store.listSections(PERSONAS.districtId);
    const from = sections.find((s) => s.students.includes(PERSONAS.student))!;
    const to = sections.find((s) => s.school === from.school && !s.students.includes(PERSONAS.student))!;
    app.sandbox.store.moveStudent(PERSONAS.student, { fromSection: from.id, toSection: to.id });
    const result = await syncDistrict(app);
    expect(result.counts.section_membership).toMatchObject({ created: 1, archived: 1 });
    const membership = (sectionCleverId: string) =>
      app.db.prisma.sectionMembership.findFirstOrThrow({
        where: { section: { cleverId: sectionCleverId }, user: { cleverId: PERSONAS.student } },
      });
    expect((await membership(from.id)).archiveReason).toBe('no longer listed in the Clever section');
    expect((await membership(to.id)).archivedAt).toBeNull();
  });

  it('adds and removes a co-teacher', async () => {
    const section = PERSONAS.coTaughtSection;
    const teacher = PERSONAS.teacherNoSections;
    const membership = () =>
      app.db.prisma.sectionMembership.findFirst({
        where: { section: { cleverId: section }, user: { cleverId: teacher } },
      });
    app.sandbox.store.addCoTeacher(section, teacher);
    await syncDistrict(app);
    expect(await membership()).toMatchObject({ role: 'co_teacher', archivedAt: null });
    app.sandbox.store.removeCoTeacher(section, teacher);
    await syncDistrict(app);
    expect((await membership())?.archivedAt).not.toBeNull();
  });
});
