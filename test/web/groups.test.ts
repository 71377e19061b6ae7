// Local groups: a teacher splits their class into groups that only hold their own students and that the
// Clever sync never changes. Students see their classes, teachers and progress on their dashboard.
import type supertest from 'supertest';
import { syncNow } from '../../src/sync/sync-api';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { csrfOf, PERSONAS, sectionIdOf, signedIn, startSyncedApp, userIdOf } from './helpers';

describe(`local groups and class pages (${backend})`, () => {
  let app: TestApp;
  let teacher: supertest.Agent;
  let token: string;
  let sectionId: string;
  let studentIds: string[];
  beforeAll(async () => {
    app = await startSyncedApp();
    teacher = await signedIn(app, PERSONAS.teacher);
    token = await csrfOf(teacher);
    sectionId = await sectionIdOf(app, PERSONAS.coTaughtSection);
    studentIds = await Promise.all(
      app.sandbox.store.getSection(PERSONAS.coTaughtSection)!.students.map((id) => userIdOf(app, id)),
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  const create = (body: Record<string, unknown>) =>
    teacher
      .post('/groups')
      .type('form')
      .send({ _csrf: token, section: sectionId, ...body });

  it('creates a group of chosen students from a class and shows it on the dashboard', async () => {
    const res = await create({ name: 'Readers', members: studentIds.slice(0, 2) }).expect(303);
    const page = await teacher.get(res.headers.location).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('Members (2)');
    expect((await teacher.get('/dashboard').expect(200)).text).toContain(
      `<a href="${res.headers.location}">Readers</a>`,
    );
  });

  it("refuses a student from someone else's class and creates nothing", async () => {
    const outsider = await userIdOf(app, PERSONAS.secondDistrictStudent);
    const before = await app.db.prisma.group.count();
    const res = await create({ name: 'Sneaky', members: [studentIds[0], outsider] }).set(
      'Accept',
      'text/html',
    );
    expect(res.status).toBe(400);
    expect(await app.db.prisma.group.count()).toBe(before);
  });

  it('asks for a name again, keeping the form, when the name is empty', async () => {
    const res = await create({ name: '   ', members: studentIds[0] }).expect(400);
    expect(res.text).toContain('Give the group a name.');
  });

  it('keeps a group exactly as the teacher left it through a sync that moves its students', async () => {
    const res = await create({ name: 'Kept', members: studentIds.slice(0, 3) }).expect(303);
    const groupId = res.headers.location.split('/').pop()!;
    const moved = app.sandbox.store.getSection(PERSONAS.coTaughtSection)!.students[0]!;
    app.sandbox.store.moveStudent(moved, {
      fromSection: PERSONAS.coTaughtSection,
      toSection: PERSONAS.sectionWithTenTeachers,
    });
    const [run] = await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
    expect(run?.status).toBe('succeeded');
    // The sync did move the student (their old class membership is archived)…
    const old = await app.db.prisma.sectionMembership.findFirstOrThrow({
      where: { section: { cleverId: PERSONAS.coTaughtSection }, user: { cleverId: moved } },
    });
    expect(old.archivedAt).toBeInstanceOf(Date);
    // …and left the group exactly as the teacher made it.
    const group = await app.db.prisma.group.findUniqueOrThrow({
      where: { id: groupId },
      include: { members: true },
    });
    expect(group).toMatchObject({ name: 'Kept', managedBy: 'local', archivedAt: null });
    expect(group.members.map((m) => m.userId).sort()).toEqual(studentIds.slice(0, 3).sort());
  });

  it('lets the teacher rename a group and change its members', async () => {
    const res = await create({ name: 'Before', members: studentIds[0] }).expect(303);
    await teacher
      .post(res.headers.location)
      .type('form')
      .send({ _csrf: token, name: 'After', members: studentIds.slice(1, 3) })
      .expect(303);
    const page = await teacher.get(res.headers.location).expect(200);
    expect(page.text).toContain('<h1>After</h1>');
    expect(page.text).toContain('Members (2)');
  });

  it("shows a student their classes, teachers and progress, and not their classmates' emails", async () => {
    const student = await signedIn(app, PERSONAS.student);
    await student.post('/api/progress').send({ activity: 'Spelling bee', score: 12 }).expect(201);
    const page = await student.get('/dashboard').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('My classes');
    expect(page.text).toContain('Maria Alvarez');
    expect(page.text).toContain('Spelling bee: 12');
    expect(page.text).not.toContain('Make groups from this class');
    const classmate = await app.db.prisma.user.findFirstOrThrow({
      where: {
        cleverId: { not: PERSONAS.student },
        email: { not: null },
        sectionMemberships: {
          some: {
            role: 'student',
            section: { memberships: { some: { user: { cleverId: PERSONAS.student } } } },
          },
        },
      },
    });
    expect(page.text).not.toContain(classmate.email!);
  });
});
