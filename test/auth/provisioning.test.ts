import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, startTestApp, type TestApp } from '../helpers/app';
import { createTeacherWithSections } from '../helpers/roster';

describe('provisioning at login', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app?.close();
  });

  const signIn = async (cleverId: string) => {
    const agent = app.agent();
    const res = await signInAs(app, agent, cleverId);
    return { agent, res };
  };

  it('creates one account when the same person signs in 20 times at once, with no server error', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => signIn(PERSONAS.teacher)));
    expect(results.map((r) => r.res.status)).toEqual(Array(20).fill(303));
    expect(await app.db.prisma.user.count({ where: { cleverId: PERSONAS.teacher } })).toBe(1);
    const sections = await app.db.prisma.section.count();
    const memberships = await app.db.prisma.sectionMembership.count();
    expect(
      await app.db.prisma.sectionMembership.groupBy({
        by: ['sectionId', 'userId'],
        having: { userId: { _count: { gt: 1 } } },
      }),
    ).toEqual([]);
    expect(sections).toBeGreaterThan(0);
    expect(memberships).toBeGreaterThan(sections);
  });

  it('costs the same Clever calls and SQL statements for 6 classes of 35 as for 6 classes of 5', async () => {
    const store = app.sandbox.store;
    const big = createTeacherWithSections(store, 'big', 6, 35);
    const small = createTeacherWithSections(store, 'small', 6, 5);

    const measure = async (cleverId: string) => {
      store.resetStats();
      const sqlBefore = app.db.statements.count;
      const { res, agent } = await signIn(cleverId);
      expect(res.status).toBe(303);
      return { api: store.stats().total, sql: app.db.statements.count - sqlBefore, agent };
    };
    await signIn(PERSONAS.districtAdmin); // looks up the district-app token once; later logins reuse it
    await signIn(PERSONAS.teacher); // their school exists before either measured login, so both find it there
    const first = { big: await measure(big), small: await measure(small) };
    expect(first.big.api).toBe(first.small.api);
    expect(first.big.sql).toBe(first.small.sql);
    expect(first.big.api).toBeLessThanOrEqual(15);
    expect(first.big.sql).toBeLessThanOrEqual(60);
    const me = (await first.big.agent.get('/api/me').expect(200)).body;
    expect(me.sections).toHaveLength(6);
    expect(me.sections.every((s: { students: string[] }) => s.students.length === 35)).toBe(true);

    // The same login again, with nothing changed at Clever: no roster row is written.
    const since = new Date();
    const again = await measure(big);
    expect(again.api).toBe(first.big.api);
    const touched = await Promise.all([
      app.db.prisma.school.count({ where: { updatedAt: { gte: since } } }),
      app.db.prisma.section.count({ where: { updatedAt: { gte: since } } }),
      app.db.prisma.term.count({ where: { updatedAt: { gte: since } } }),
      app.db.prisma.course.count({ where: { updatedAt: { gte: since } } }),
      app.db.prisma.user.count({ where: { updatedAt: { gte: since } } }),
      app.db.prisma.sectionMembership.count({ where: { updatedAt: { gte: since } } }),
      app.db.prisma.schoolMembership.count({ where: { updatedAt: { gte: since } } }),
    ]);
    expect(touched).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('gives someone Clever does not share with the app a clear page and no account', async () => {
    const agent = app.agent();
    const start = await agent.get('/auth/clever');
    const authorize = new URL(start.headers.location);
    authorize.searchParams.set('user', PERSONAS.student);
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    app.sandbox.store.unshare('user', PERSONAS.student);
    const res = await agent.get(`${back.pathname}${back.search}`);
    expect(res.status).toBe(403);
    expect(res.text).toContain('has not shared your Clever account');
    expect(await app.db.prisma.user.count({ where: { cleverId: PERSONAS.student } })).toBe(0);
  });

  it('restores an archived account at its next login, same id and history, and ends its old sessions', async () => {
    const { agent } = await signIn(PERSONAS.student);
    const user = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.student } });
    await app.db.prisma.progress.create({ data: { userId: user.id, activity: 'quiz', score: 3 } });
    await app.db.prisma.user.update({
      where: { id: user.id },
      data: { archivedAt: new Date(), archiveReason: 'unshared' },
    });
    await agent.get('/api/me').expect(401);

    const again = await signIn(PERSONAS.student);
    const me = (await again.agent.get('/api/me').expect(200)).body;
    expect(me.id).toBe(user.id);
    const restored = await app.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(restored.archivedAt).toBeNull();
    expect(await app.db.prisma.progress.count({ where: { userId: user.id } })).toBe(1);
    expect(
      await app.db.prisma.auditEvent.count({
        where: { recordId: user.id, action: 'restored', source: 'login' },
      }),
    ).toBe(1);
  });

  it('archives the class a student left and shows the new one at their next login', async () => {
    const store = app.sandbox.store;
    const student = store.getUser(PERSONAS.student)!;
    const from = store.listSections(PERSONAS.districtId).find((s) => s.students.includes(student.id))!;
    const to = store
      .listSections(PERSONAS.districtId)
      .find((s) => !s.students.includes(student.id) && s.school === from.school)!;
    await signIn(PERSONAS.student);
    store.moveStudent(student.id, { fromSection: from.id, toSection: to.id });

    const { agent } = await signIn(PERSONAS.student);
    const sections = (await agent.get('/api/me').expect(200)).body.sections.map(
      (s: { cleverId: string }) => s.cleverId,
    );
    expect(sections).toContain(to.id);
    expect(sections).not.toContain(from.id);
    const old = await app.db.prisma.sectionMembership.findFirstOrThrow({
      where: { user: { cleverId: student.id }, section: { cleverId: from.id } },
    });
    expect(old.archivedAt).not.toBeNull();
  });

  it('lets an existing user in with the data it has when Clever is down, but not a new one', async () => {
    await signIn(PERSONAS.teacher);
    app.sandbox.store.addFault({ path: '/users', kind: '5xx', status: 503 });
    const known = await signIn(PERSONAS.teacher);
    expect(known.res.status).toBe(303);
    await known.agent.get('/api/me').expect(200);

    const stranger = await signIn(PERSONAS.studentNoSections);
    expect(stranger.res.status).toBe(503);
    expect(stranger.res.text).toContain('could not reach Clever');
    expect(stranger.res.text).not.toMatch(/at .*\.ts:\d+/);
  });
});
