// A full sync of Sandbox ISD through the real Clever client, against the sandbox over loopback.
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import {
  districtIdOf,
  isArchived,
  PERSONAS,
  rosterSnapshot,
  startSyncTestApp,
  syncDistrict,
} from './helpers';

describe(`a full district sync on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('brings in the district, schools, terms, courses, sections and users of every role', async () => {
    const result = await syncDistrict(app);
    expect(result.status).toBe('succeeded');
    const p = app.db.prisma;
    const districtId = await districtIdOf(app);
    expect(await p.school.count({ where: { districtId } })).toBe(5);
    expect(await p.term.count({ where: { districtId } })).toBe(3);
    expect(await p.course.count({ where: { districtId } })).toBe(8);
    expect(await p.section.count({ where: { districtId } })).toBe(24);
    const roles = (await p.user.findMany({ where: { districtId } })).flatMap((u) => u.roles);
    expect(new Set(roles)).toEqual(new Set(['student', 'teacher', 'staff', 'district_admin', 'contact']));
    const district = await p.district.findUniqueOrThrow({ where: { id: districtId } });
    expect(district.connection).toBe('connected');
    expect(result.counts.total.created).toBeGreaterThan(300);
  });

  it('links the primary teacher, co-teachers and students of a co-taught section', async () => {
    const members = await app.db.prisma.sectionMembership.findMany({
      where: { section: { cleverId: PERSONAS.coTaughtSection } },
      include: { user: true },
    });
    const coTeacher = members.find((m) => m.user.cleverId === PERSONAS.coTeacher);
    expect(coTeacher?.role).toBe('co_teacher');
    expect(members.filter((m) => m.role === 'teacher')).toHaveLength(1);
    expect(members.some((m) => m.role === 'student')).toBe(true);
    const ten = await app.db.prisma.sectionMembership.count({
      where: {
        section: { cleverId: PERSONAS.sectionWithTenTeachers },
        role: { in: ['teacher', 'co_teacher'] },
      },
    });
    expect(ten).toBe(10);
  });

  it('skips a student a section lists but Clever does not share, and goes on', async () => {
    expect(await app.db.prisma.user.findUnique({ where: { cleverId: PERSONAS.unsharedStudent } })).toBeNull();
    const students = await app.db.prisma.sectionMembership.count({
      where: { section: { cleverId: PERSONAS.sectionWithUnsharedStudent }, role: 'student' },
    });
    expect(students).toBeGreaterThan(0);
  });

  it('writes no rows when nothing changed upstream', async () => {
    const before = await rosterSnapshot(app);
    const result = await syncDistrict(app);
    expect(result.status).toBe('succeeded');
    expect(result.counts.total).toMatchObject({ created: 0, updated: 0, archived: 0, restored: 0 });
    expect(await rosterSnapshot(app)).toEqual(before);
  });

  it('plans a dry run exactly, writing nothing', async () => {
    app.sandbox.store.unshare('user', PERSONAS.student);
    app.sandbox.store.rename('section', PERSONAS.coTaughtSection, 'Renamed upstream');
    const before = await rosterSnapshot(app);
    const result = await syncDistrict(app, { dryRun: true });
    expect(result.status).toBe('dry_run');
    expect(result.counts.user.archived).toBe(0);
    expect(result.counts.section.updated).toBe(1);
    expect(await rosterSnapshot(app)).toEqual(before);
    expect(await isArchived(app, 'user', PERSONAS.student)).toBe(false);
    const plan = await app.db.prisma.syncPlanItem.findMany({ where: { runId: result.runId } });
    expect(plan.filter((i) => i.recordType === 'user').map((i) => i.cleverId)).toEqual([PERSONAS.student]);
    // Their classes still list them but they are no longer shared (planned page by page), and their school
    // memberships go with them (planned at the end): every active membership of theirs, nothing else.
    const student = await app.db.prisma.user.findUniqueOrThrow({
      where: { cleverId: PERSONAS.student },
      include: {
        sectionMemberships: { where: { archivedAt: null }, include: { section: true } },
        schoolMemberships: { where: { archivedAt: null }, include: { school: true } },
      },
    });
    expect(student.sectionMemberships.length).toBeGreaterThan(0);
    const planned = (type: string) =>
      plan
        .filter((i) => i.recordType === type)
        .map((i) => i.cleverId)
        .sort();
    expect(planned('section_membership')).toEqual(
      student.sectionMemberships.map((m) => `${m.section.cleverId}|${PERSONAS.student}`).sort(),
    );
    expect(planned('school_membership')).toEqual(
      student.schoolMemberships.map((m) => `${PERSONAS.student}|${m.school.cleverId}`).sort(),
    );
    expect(result.counts.section_membership.archived).toBe(0);
    app.sandbox.store.reset();
  });

  it('keeps accounts made in the app and section names given in the app', async () => {
    const districtId = await districtIdOf(app);
    const local = await app.db.prisma.user.create({
      data: { managedBy: 'local', districtId, roles: ['teacher'], firstName: 'Hand', lastName: 'Made' },
    });
    await app.db.prisma.section.update({
      where: { cleverId: PERSONAS.coTaughtSection },
      data: { localName: 'Our reading club' },
    });
    app.sandbox.store.rename('section', PERSONAS.coTaughtSection, 'Clever renamed it');
    expect((await syncDistrict(app)).status).toBe('succeeded');
    const section = await app.db.prisma.section.findUniqueOrThrow({
      where: { cleverId: PERSONAS.coTaughtSection },
    });
    expect(section).toMatchObject({ localName: 'Our reading club', name: 'Clever renamed it' });
    const after = await app.db.prisma.user.findUniqueOrThrow({ where: { id: local.id } });
    expect(after.archivedAt).toBeNull();
    expect(after.updatedAt).toEqual(local.updatedAt);
    app.sandbox.store.reset();
  });
});
