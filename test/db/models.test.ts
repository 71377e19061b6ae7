import { createTestDatabase, backend, type TestDatabase } from '../helpers/db';

describe(`the data model on ${backend}`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('writes and reads every model through the Prisma client', async () => {
    const p = db.prisma;
    const district = await p.district.create({
      data: { cleverId: 'd1', name: 'Sandbox ISD', connection: 'connected' },
    });
    const school = await p.school.create({
      data: { cleverId: 's1', districtId: district.id, name: 'Pineapple Elementary' },
    });
    const term = await p.term.create({
      data: { cleverId: 't1', districtId: district.id, name: 'Y1', startDate: '2026-08-01' },
    });
    const course = await p.course.create({ data: { cleverId: 'c1', districtId: district.id } });
    const section = await p.section.create({
      data: {
        cleverId: 'sec1',
        districtId: district.id,
        schoolId: school.id,
        termId: term.id,
        courseId: course.id,
        name: 'Math 1',
      },
    });
    const teacher = await p.user.create({
      data: {
        cleverId: 'u1',
        districtId: district.id,
        roles: ['teacher', 'district_admin'],
        firstName: 'Zoë',
        lastName: "O'Connor",
      },
    });
    // An account imported before Clever: no Clever id, no district, every optional field empty.
    const imported = await p.user.create({
      data: {
        managedBy: 'local',
        roles: ['student'],
        email: 'Kid@Example.org',
        emailNormalized: 'kid@example.org',
      },
    });
    await p.schoolMembership.create({ data: { userId: teacher.id, schoolId: school.id, isPrimary: true } });
    await p.sectionMembership.create({
      data: { userId: teacher.id, sectionId: section.id, role: 'teacher' },
    });
    const group = await p.group.create({
      data: { districtId: district.id, ownerId: teacher.id, sectionId: section.id, name: 'Reading A' },
    });
    await p.groupMember.create({ data: { groupId: group.id, userId: imported.id } });
    await p.progress.create({ data: { userId: imported.id, activity: 'lesson-1', score: 0.9 } });
    const run = await p.syncRun.create({
      data: { districtId: district.id, kind: 'full', trigger: 'cli', counts: { created: 1 } },
    });
    await p.auditEvent.create({
      data: {
        districtId: district.id,
        recordType: 'user',
        recordId: teacher.id,
        action: 'created',
        source: 'sync',
        syncRunId: run.id,
      },
    });
    await p.matchReview.create({
      data: {
        districtId: district.id,
        userId: teacher.id,
        emailNormalized: 'a@b.c',
        candidateUserIds: [imported.id],
        reason: 'two accounts share this email',
      },
    });
    await p.session.create({
      data: { sid: 'abc', sess: { cookie: {} }, expire: new Date(Date.now() + 1000) },
    });

    const loaded = await p.section.findUniqueOrThrow({
      where: { cleverId: 'sec1' },
      include: {
        school: true,
        term: true,
        course: true,
        memberships: { include: { user: true } },
        groups: { include: { members: true } },
      },
    });
    expect(loaded.school?.name).toBe('Pineapple Elementary');
    expect(loaded.term?.name).toBe('Y1');
    expect(loaded.course?.name).toBeNull();
    expect(loaded.memberships[0].user.roles).toEqual(['teacher', 'district_admin']);
    expect(loaded.memberships[0].user.lastName).toBe("O'Connor");
    expect(loaded.groups[0].members).toHaveLength(1);
    expect(await p.progress.count({ where: { userId: imported.id } })).toBe(1);
    expect((await p.syncRun.findFirstOrThrow()).status).toBe('queued');
    expect(await p.auditEvent.count()).toBe(1);
    expect((await p.matchReview.findFirstOrThrow()).candidateUserIds).toEqual([imported.id]);
    expect(await p.session.count()).toBe(1);
    expect((await p.user.findUniqueOrThrow({ where: { id: imported.id } })).cleverId).toBeNull();
  });

  it('refuses a second record with the same Clever id', async () => {
    const district = await db.prisma.district.create({ data: { cleverId: 'dup-d', name: 'D' } });
    await db.prisma.user.create({ data: { cleverId: 'dup', districtId: district.id, roles: ['student'] } });
    await expect(
      db.prisma.user.create({ data: { cleverId: 'dup', districtId: district.id, roles: ['student'] } }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

  it('never lets an undefined filter match every row', async () => {
    const districtId: string | undefined = undefined;
    await expect(db.prisma.user.findMany({ where: { districtId } })).rejects.toThrow();
  });
});
