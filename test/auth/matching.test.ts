import { importUsers } from '../../src/matching/import-accounts';
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, startTestApp, type TestApp } from '../helpers/app';

describe('matching accounts that existed before Clever', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app?.close();
  });

  const emailOf = (id: string) => String(app.sandbox.store.getUser(id)!.email);
  const importOne = async (email: string, role = 'teacher') => {
    const [result] = await importUsers(app.db.prisma, [
      {
        line: 2,
        fields: { email, first_name: 'Pre', last_name: 'Existing', role, district_id: PERSONAS.districtId },
      },
    ]);
    expect(result.outcome).toBe('created');
    return result.accountId!;
  };
  const signIn = async (cleverId: string) => {
    const agent = app.agent();
    await signInAs(app, agent, cleverId);
    return { agent, me: (await agent.get('/api/me').expect(200)).body };
  };

  it('links a unique email match to the existing account and keeps its id and history', async () => {
    const accountId = await importOne(emailOf(PERSONAS.teacher));
    await app.db.prisma.progress.create({
      data: { userId: accountId, activity: 'lesson before Clever', score: 7 },
    });

    const { agent, me } = await signIn(PERSONAS.teacher);
    expect(me.id).toBe(accountId);
    expect(me.matchedBy).toBe('email');
    expect(me.cleverId).toBe(PERSONAS.teacher);
    const progress = (await agent.get('/api/me/progress').expect(200)).body.items;
    expect(progress).toEqual([expect.objectContaining({ activity: 'lesson before Clever', score: 7 })]);
    const audit = await app.db.prisma.auditEvent.findFirst({
      where: { recordId: accountId, action: 'matched' },
    });
    expect(audit?.reason).toMatch(/email/);
    expect(await app.db.prisma.user.count({ where: { cleverId: PERSONAS.teacher } })).toBe(1);
  });

  it('matches despite case and surrounding spaces in either email', async () => {
    const email = emailOf(PERSONAS.teacher);
    const accountId = await importOne(`  ${email.toUpperCase()}  `);
    app.sandbox.store.setEmail(PERSONAS.teacher, ` ${email.replace(/^./, (c) => c.toUpperCase())}`);
    const { me } = await signIn(PERSONAS.teacher);
    expect(me.id).toBe(accountId);
  });

  it('matches an imported student when their teacher signs in first, before the student ever does', async () => {
    const studentId = app.sandbox.store.getSection(PERSONAS.coTaughtSection)!.students[0];
    const accountId = await importOne(emailOf(studentId), 'student');
    await signIn(PERSONAS.teacher);
    const linked = await app.db.prisma.user.findUniqueOrThrow({ where: { id: accountId } });
    expect(linked.cleverId).toBe(studentId);
    const { me } = await signIn(studentId);
    expect(me.id).toBe(accountId);
  });

  it('links nothing when two existing accounts share the email, and asks an admin to review', async () => {
    const email = emailOf(PERSONAS.teacher);
    const a = await app.db.prisma.user.create({
      data: { managedBy: 'local', roles: ['teacher'], email, emailNormalized: email.toLowerCase() },
    });
    const b = await app.db.prisma.user.create({
      data: { managedBy: 'local', roles: ['teacher'], email, emailNormalized: email.toLowerCase() },
    });
    const { me } = await signIn(PERSONAS.teacher);
    expect([a.id, b.id]).not.toContain(me.id);
    expect(me.matchedBy).toBe('created');
    const review = await app.db.prisma.matchReview.findUniqueOrThrow({ where: { userId: me.id } });
    expect(review.status).toBe('open');
    expect(review.candidateUserIds.sort()).toEqual([a.id, b.id].sort());
    for (const id of [a.id, b.id]) {
      expect((await app.db.prisma.user.findUniqueOrThrow({ where: { id } })).cleverId).toBeNull();
    }
  });

  it('links nothing when another Clever user already has the same email', async () => {
    app.sandbox.store.setEmail(PERSONAS.student, 'shared.family@example.org');
    app.sandbox.store.setEmail(PERSONAS.studentTwoSchools, 'shared.family@example.org');
    await signIn(PERSONAS.student);
    const waiting = await app.db.prisma.user.create({
      data: {
        managedBy: 'local',
        roles: ['student'],
        email: 'shared.family@example.org',
        emailNormalized: 'shared.family@example.org',
      },
    });
    const { me } = await signIn(PERSONAS.studentTwoSchools);
    expect(me.id).not.toBe(waiting.id);
    expect((await app.db.prisma.user.findUniqueOrThrow({ where: { id: waiting.id } })).cleverId).toBeNull();
    expect(await app.db.prisma.matchReview.count({ where: { userId: me.id, status: 'open' } })).toBe(1);
  });

  it("never gives a teacher's account to a contact (parent) with the same email; the teacher still gets it", async () => {
    const email = emailOf(PERSONAS.teacher);
    const accountId = await importOne(email, 'teacher');
    await app.db.prisma.progress.create({ data: { userId: accountId, activity: 'lesson plan', score: 1 } });
    app.sandbox.store.setEmail(PERSONAS.contact, email);

    const parent = (await signIn(PERSONAS.contact)).me;
    expect(parent.id).not.toBe(accountId);
    expect(parent.matchedBy).toBe('created');
    expect((await app.db.prisma.user.findUniqueOrThrow({ where: { id: accountId } })).cleverId).toBeNull();

    const teacher = (await signIn(PERSONAS.teacher)).me;
    expect(teacher).toMatchObject({ id: accountId, matchedBy: 'email', cleverId: PERSONAS.teacher });
    expect(await app.db.prisma.progress.count({ where: { userId: accountId } })).toBe(1);
  });

  it("never gives a student's account to a teacher with the same email", async () => {
    const email = emailOf(PERSONAS.teacher);
    const accountId = await importOne(email, 'student');
    const { me } = await signIn(PERSONAS.teacher);
    expect(me.id).not.toBe(accountId);
    expect((await app.db.prisma.user.findUniqueOrThrow({ where: { id: accountId } })).cleverId).toBeNull();
  });

  it('never links an account imported without a district automatically: it waits for an admin', async () => {
    const email = emailOf(PERSONAS.secondDistrictTeacher);
    const [imported] = await importUsers(app.db.prisma, [
      { line: 2, fields: { email, first_name: 'No', last_name: 'District', role: 'teacher' } },
    ]);
    const { me } = await signIn(PERSONAS.secondDistrictTeacher);
    expect(me.id).not.toBe(imported.accountId);
    expect(me.matchedBy).toBe('created');
    const review = await app.db.prisma.matchReview.findUniqueOrThrow({ where: { userId: me.id } });
    expect(review.candidateUserIds).toEqual([imported.accountId]);
    expect(review.reason).toMatch(/no district/);
    expect(
      (await app.db.prisma.user.findUniqueOrThrow({ where: { id: imported.accountId! } })).cleverId,
    ).toBeNull();
  });

  it('never links an account imported for one district to a user of another district', async () => {
    const email = emailOf(PERSONAS.teacher);
    const accountId = await importOne(email, 'teacher');
    app.sandbox.store.setEmail(PERSONAS.secondDistrictTeacher, email);
    const { me } = await signIn(PERSONAS.secondDistrictTeacher);
    expect(me.id).not.toBe(accountId);
    expect((await app.db.prisma.user.findUniqueOrThrow({ where: { id: accountId } })).cleverId).toBeNull();
  });

  it("links by email only within the district's verified email domains, when it named any", async () => {
    const setDomains = (verifiedEmailDomains: string[]) =>
      app.db.prisma.district.update({
        where: { cleverId: PERSONAS.districtId },
        data: { verifiedEmailDomains },
      });
    const email = emailOf(PERSONAS.teacher);
    const accountId = await importOne(email, 'teacher');
    await setDomains(['verified.example.edu']);
    const unverified = (await signIn(PERSONAS.teacher)).me;
    expect(unverified.id).not.toBe(accountId);
    const review = await app.db.prisma.matchReview.findUniqueOrThrow({ where: { userId: unverified.id } });
    expect(review.reason).toMatch(/domain/);

    const other = PERSONAS.teacherNoSections;
    const otherEmail = emailOf(other);
    const otherAccount = await importOne(otherEmail, 'teacher');
    await setDomains(['verified.example.edu', otherEmail.slice(otherEmail.indexOf('@') + 1).toLowerCase()]);
    expect((await signIn(other)).me).toMatchObject({ id: otherAccount, matchedBy: 'email' });
  });

  it('never moves a Clever id from one account to another', async () => {
    const email = emailOf(PERSONAS.teacher);
    const first = (await signIn(PERSONAS.teacher)).me;
    const [again] = await importUsers(app.db.prisma, [
      { line: 2, fields: { email, role: 'teacher', district_id: PERSONAS.districtId } },
    ]);
    expect(again).toMatchObject({ outcome: 'already_linked', accountId: first.id });
    const second = (await signIn(PERSONAS.teacher)).me;
    expect(second.id).toBe(first.id);
  });

  it('reports a bad import row with its line number and imports the rest', async () => {
    const results = await importUsers(app.db.prisma, [
      { line: 2, fields: { email: 'ok@example.org', role: 'student' } },
      { line: 3, fields: { email: '', role: 'student' } },
      { line: 4, fields: { email: 'x@example.org', role: 'wizard' } },
    ]);
    expect(results.map((r) => [r.line, r.outcome])).toEqual([
      [2, 'created'],
      [3, 'invalid'],
      [4, 'invalid'],
    ]);
    expect(await app.db.prisma.user.count({ where: { cleverId: null } })).toBe(1);
  });
});
