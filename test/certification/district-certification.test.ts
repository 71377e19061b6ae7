// Clever's District Certification, requirement by requirement (docs/certification.md links here).
// One walk through the sandbox's edge-case district: first logins before any sync, a full sync, then the
// changes districts make — delete, unshare, reshare, move, co-teacher change, email change, rollover.
import { importUsers } from '../../src/matching/import-accounts';
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, type TestApp } from '../helpers/app';
import { isArchived, setThreshold, startSyncTestApp, syncDistrict } from '../sync/helpers';

describe('District Certification requirements', () => {
  let app: TestApp;
  const progressOf = (userId: string) => app.db.prisma.progress.count({ where: { userId } });
  const userId = async (cleverId: string) =>
    (await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId } })).id;
  const signIn = async (cleverId: string) => {
    const agent = app.agent();
    const res = await signInAs(app, agent, cleverId);
    expect(res.status).toBe(303);
    return agent;
  };

  beforeAll(async () => {
    app = await startSyncTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lets teachers and students sign in before any sync has run (no initializing sync needed)', async () => {
    const teacher = await signIn(PERSONAS.teacher);
    const me = (await teacher.get('/api/me').expect(200)).body;
    expect(me.sections.length).toBeGreaterThan(0);
    expect(await app.db.prisma.syncRun.count()).toBe(0);
    const student = await signIn(PERSONAS.student);
    await student.post('/api/progress').send({ activity: 'Unit 1 quiz', score: 9 }).expect(201);
  });

  it('matches an existing account by email during the full sync, keeping its id and progress', async () => {
    const email = String(app.sandbox.store.getUser(PERSONAS.studentTwoSchools)!.email);
    const [imported] = await importUsers(app.db.prisma, [
      { line: 2, fields: { email: email.toUpperCase(), role: 'student', district_id: PERSONAS.districtId } },
    ]);
    await app.db.prisma.progress.create({ data: { userId: imported.accountId!, activity: 'before Clever' } });
    expect((await syncDistrict(app)).status).toBe('succeeded');
    const linked = await app.db.prisma.user.findUniqueOrThrow({
      where: { cleverId: PERSONAS.studentTwoSchools },
    });
    expect(linked.id).toBe(imported.accountId);
    expect(linked.matchedBy).toBe('email');
    expect(await progressOf(linked.id)).toBe(1);
  });

  it('keys every record type on its Clever id, one row per id', async () => {
    const store = app.sandbox.store;
    const d = PERSONAS.districtId;
    const expectations: Array<[string, string[]]> = [
      ['School', store.listSchools(d).map((s) => s.id)],
      ['Term', store.listTerms(d).map((t) => t.id)],
      ['Course', store.listCourses(d).map((c) => c.id)],
      ['Section', store.listSections(d).map((s) => s.id)],
      ['User', store.listUsers({ district: d }).map((u) => u.id)],
    ];
    for (const [table, ids] of expectations) {
      const rows = await app.db.pool.query(`SELECT "cleverId" FROM "${table}" WHERE "cleverId" = ANY($1)`, [
        ids,
      ]);
      expect(rows.rowCount).toBe(new Set(ids).size);
    }
    const unique = await app.db.pool.query(
      `SELECT tablename FROM pg_indexes WHERE indexdef LIKE 'CREATE UNIQUE INDEX%("cleverId")'`,
    );
    expect(unique.rows.map((r) => r.tablename).sort()).toEqual([
      'Course',
      'District',
      'School',
      'Section',
      'Term',
      'User',
    ]);
  });

  it('stores users whose non-guaranteed fields are missing, and they sign in', async () => {
    const sparse = await app.db.prisma.user.findUniqueOrThrow({
      where: { cleverId: PERSONAS.studentSparse },
    });
    expect(sparse.email).toBeNull();
    expect(sparse.grade).toBeNull();
    for (const cleverId of [PERSONAS.studentSparse, PERSONAS.studentNoEmail]) {
      const agent = await signIn(cleverId);
      const me = (await agent.get('/api/me').expect(200)).body;
      expect(me.cleverId).toBe(cleverId);
      expect(me.roles).toEqual(['student']);
    }
  });

  it('keeps student-teacher associations, with the primary teacher and all nine co-teachers', async () => {
    const memberships = await app.db.prisma.sectionMembership.findMany({
      where: { section: { cleverId: PERSONAS.sectionWithTenTeachers }, archivedAt: null },
    });
    expect(memberships.filter((m) => m.role === 'teacher')).toHaveLength(1);
    expect(memberships.filter((m) => m.role === 'co_teacher')).toHaveLength(9);
    expect(memberships.filter((m) => m.role === 'student').length).toBeGreaterThan(0);
  });

  it('archives every record type Clever deletes — terms and courses included — and restores it when its id returns', async () => {
    await setThreshold(app, 1); // single deletions in a small district: this is about archiving, not the guard
    const store = app.sandbox.store;
    const term = PERSONAS.duplicateTermIds[1]!;
    const course = store.listCourses(PERSONAS.districtId)[1]!.id;
    const targets = [
      ['term', term],
      ['course', course],
      ['section', PERSONAS.coTaughtSection],
      ['user', PERSONAS.studentApostrophe],
    ] as const;
    const ids = new Map<string, string>();
    for (const [type, cleverId] of targets) {
      const model = app.db.prisma[type] as unknown as {
        findUniqueOrThrow(a: unknown): Promise<{ id: string }>;
      };
      ids.set(cleverId, (await model.findUniqueOrThrow({ where: { cleverId } })).id);
      store.delete(type, cleverId);
    }
    expect((await syncDistrict(app)).status).toBe('succeeded');
    for (const [type, cleverId] of targets) expect(await isArchived(app, type, cleverId)).toBe(true);

    for (const [type, cleverId] of targets) store.reshare(type, cleverId);
    expect((await syncDistrict(app)).status).toBe('succeeded');
    for (const [type, cleverId] of targets) {
      expect(await isArchived(app, type, cleverId)).toBe(false);
      const model = app.db.prisma[type] as unknown as {
        findUniqueOrThrow(a: unknown): Promise<{ id: string }>;
      };
      expect((await model.findUniqueOrThrow({ where: { cleverId } })).id).toBe(ids.get(cleverId));
    }
  });

  it('follows a student who moves to another school, keeping the same account and progress', async () => {
    const store = app.sandbox.store;
    const student = store.getUser(PERSONAS.student)!;
    const from = student.roles.student!.school!;
    const to = store
      .listSchools(PERSONAS.districtId)
      .find((s) => s.id !== from && !student.roles.student!.schools!.includes(s.id))!.id;
    const before = await userId(PERSONAS.student);
    store.moveStudent(student.id, { toSchool: to });
    expect((await syncDistrict(app)).status).toBe('succeeded');
    const after = await app.db.prisma.user.findUniqueOrThrow({
      where: { cleverId: PERSONAS.student },
      include: { primarySchool: true, schoolMemberships: { include: { school: true } } },
    });
    expect(after.id).toBe(before);
    expect(after.primarySchool?.cleverId).toBe(to);
    const active = after.schoolMemberships.filter((m) => !m.archivedAt);
    expect(active.map((m) => m.school.cleverId)).toContain(to);
    // Exactly the schools Clever now lists (the old one stays while classes there remain), and one primary
    // school among them: the new one — the old membership is no longer primary.
    const listed = store.getUser(PERSONAS.student)!.roles.student!.schools!;
    expect(active.map((m) => m.school.cleverId).sort()).toEqual([...listed].sort());
    expect(active.filter((m) => m.isPrimary).map((m) => m.school.cleverId)).toEqual([to]);
    const old = after.schoolMemberships.find((m) => m.school.cleverId === from)!;
    expect(old.isPrimary).toBe(false);
    if (!listed.includes(from)) expect(old.archivedAt).toBeInstanceOf(Date);
    expect(await progressOf(before)).toBeGreaterThan(0);
  });

  it('follows a co-teacher change in both directions', async () => {
    const store = app.sandbox.store;
    const section = store.getSection(PERSONAS.coTaughtSection)!;
    const newcomer = PERSONAS.teacherNoSections;
    store.addCoTeacher(section.id, newcomer);
    await syncDistrict(app);
    const roleOf = async () =>
      (
        await app.db.prisma.sectionMembership.findFirst({
          where: { section: { cleverId: section.id }, user: { cleverId: newcomer } },
        })
      )?.archivedAt;
    expect(await roleOf()).toBeNull();
    store.removeCoTeacher(section.id, newcomer);
    await syncDistrict(app);
    expect(await roleOf()).toBeInstanceOf(Date);
  });

  it('updates an email changed in Clever on the same account (Clever id, not email, is the key)', async () => {
    const id = await userId(PERSONAS.teacher);
    app.sandbox.store.setEmail(PERSONAS.teacher, 'renamed.teacher@example.org');
    await syncDistrict(app);
    const user = await app.db.prisma.user.findUniqueOrThrow({ where: { id } });
    expect(user.email).toBe('renamed.teacher@example.org');
    expect(user.cleverId).toBe(PERSONAS.teacher);
  });

  it("rolls the school year over: last year's sections archived with their history, new ones in, progress kept", async () => {
    await setThreshold(app, null); // back to the default guard: rollover must not trip it
    const store = app.sandbox.store;
    const student = await userId(PERSONAS.student);
    const oldSections = store.listSections(PERSONAS.districtId).map((s) => s.id);
    store.rollover(PERSONAS.districtId);
    const run = await syncDistrict(app);
    expect(run.status).toBe('succeeded');
    const stillActive = await app.db.prisma.section.findMany({
      where: { cleverId: { in: oldSections.filter((id) => !store.getSection(id)) }, archivedAt: null },
    });
    expect(stillActive.map((s) => s.cleverId)).toEqual([]);
    for (const cleverId of oldSections.filter((id) => !store.getSection(id)))
      expect(await isArchived(app, 'section', cleverId)).toBe(true);
    const newSections = store.listSections(PERSONAS.districtId).map((s) => s.id);
    expect(
      await app.db.prisma.section.count({ where: { cleverId: { in: newSections }, archivedAt: null } }),
    ).toBe(newSections.length);
    expect(await progressOf(student)).toBeGreaterThan(0);
    const agent = await signIn(PERSONAS.student);
    const mine = (await agent.get('/api/me').expect(200)).body.sections.map(
      (s: { cleverId: string }) => s.cleverId,
    );
    expect(mine.every((id: string) => newSections.includes(id))).toBe(true);
  });

  it('never deletes progress: every record above is still there, tied to its student', async () => {
    // Every progress row this walk created, each still on the account of the student it belongs to.
    const items = await app.db.prisma.progress.findMany({ include: { user: true } });
    expect(items.map((i) => [i.user.cleverId, i.activity]).sort()).toEqual(
      [
        [PERSONAS.student, 'Unit 1 quiz'],
        [PERSONAS.studentTwoSchools, 'before Clever'],
      ].sort(),
    );
  });
});
