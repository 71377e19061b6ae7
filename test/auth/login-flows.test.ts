import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, startTestApp, type TestApp } from '../helpers/app';

// supertest agents keep cookies like a browser; the sandbox plays Clever over loopback.
describe('Log in with Clever', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  const me = async (cleverId: string) => {
    const agent = app.agent();
    const res = await signInAs(app, agent, cleverId);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const body = (await agent.get('/api/me').expect(200)).body;
    return { agent, body };
  };

  it('signs a student in and shows their classes and teachers, not classmates', async () => {
    const { body } = await me(PERSONAS.student);
    expect(body.cleverId).toBe(PERSONAS.student);
    expect(body.roles).toEqual(['student']);
    expect(body.matchedBy).toBe('created');
    expect(body.district.cleverId).toBe(PERSONAS.districtId);
    expect(body.sections.length).toBeGreaterThan(0);
    for (const section of body.sections) {
      expect(section.role).toBe('student');
      expect(section.teachers.length).toBeGreaterThan(0);
      expect(section).not.toHaveProperty('students');
    }
  });

  it('signs a teacher in with every section, its students and its co-teachers', async () => {
    const { body } = await me(PERSONAS.teacher);
    expect(body.roles).toContain('teacher');
    expect(body.sections.length).toBeGreaterThan(1);
    for (const section of body.sections) {
      expect(section.role).toBe('teacher');
      expect(section.teachers).toContain(PERSONAS.teacher);
      expect(section.students.length).toBeGreaterThan(0);
    }
    const coTaught = body.sections.find((s: { cleverId: string }) => s.cleverId === PERSONAS.coTaughtSection);
    expect(coTaught?.teachers).toContain(PERSONAS.coTeacher);
  });

  it('shows a co-teacher the co-taught section as one of theirs', async () => {
    const { body } = await me(PERSONAS.coTeacher);
    const coTaught = body.sections.find((s: { cleverId: string }) => s.cleverId === PERSONAS.coTaughtSection);
    expect(coTaught).toMatchObject({ role: 'teacher' });
    expect(coTaught.teachers[0]).not.toBe(PERSONAS.coTeacher);
  });

  it('keeps all ten teachers of a section with one primary and nine co-teachers', async () => {
    const section = app.sandbox.store.getSection(PERSONAS.sectionWithTenTeachers)!;
    const { body } = await me(section.teachers[0]);
    const mine = body.sections.find(
      (s: { cleverId: string }) => s.cleverId === PERSONAS.sectionWithTenTeachers,
    );
    expect(mine.teachers).toHaveLength(10);
    expect(mine.teachers[0]).toBe(section.teachers[0]);
  });

  it('gives a teacher who is also staff and district admin one account with every role', async () => {
    const { body } = await me(PERSONAS.multiRoleTeacherStaffAdmin);
    expect(body.roles).toEqual(expect.arrayContaining(['teacher', 'staff', 'district_admin']));
    expect(await app.db.prisma.user.count({ where: { cleverId: PERSONAS.multiRoleTeacherStaffAdmin } })).toBe(
      1,
    );
  });

  it('gives a teacher who is also a contact two accounts, one per Clever id', async () => {
    const teacher = (await me(PERSONAS.teacherAlsoContactTeacherId)).body;
    const contact = (await me(PERSONAS.teacherAlsoContactContactId)).body;
    expect(teacher.id).not.toBe(contact.id);
    expect(teacher.roles).toContain('teacher');
    expect(contact.roles).toEqual(['contact']);
  });

  it.each([
    ['a district admin', 'districtAdmin', 'district_admin'],
    ['staff', 'staff', 'staff'],
    ['a contact whose name is only a last name', 'contactNameOnlyLast', 'contact'],
  ] as const)('signs in %s', async (_label, persona, role) => {
    const { body } = await me(PERSONAS[persona]);
    expect(body.roles).toContain(role);
    expect(body.sections).toEqual([]);
  });

  it('lets staff see the schools they work at', async () => {
    const { body } = await me(PERSONAS.staff);
    expect(body.schools.length).toBeGreaterThan(0);
  });

  it.each([['studentNoSections'], ['teacherNoSections']] as const)(
    'signs in %s with an empty class list',
    async (persona) => {
      const { agent, body } = await me(PERSONAS[persona]);
      expect(body.sections).toEqual([]);
      const page = await agent.get('/dashboard').expect(200);
      expect(page.text).toContain('not in any class yet');
    },
  );

  it.each([
    ['studentSparse'],
    ['studentNoEmail'],
    ['studentEmptyEmail'],
    ['teacherEmailNoAt'],
    ['studentLongSisId'],
    ['teacherShortSisId'],
  ] as const)('signs in %s although optional fields are missing or odd', async (persona) => {
    const { body } = await me(PERSONAS[persona]);
    expect(body.cleverId).toBe(PERSONAS[persona]);
  });

  it('keeps apostrophes and non-ASCII names exactly', async () => {
    for (const persona of ['studentApostrophe', 'studentNonAscii', 'studentCjk'] as const) {
      const clever = app.sandbox.store.getUser(PERSONAS[persona])!;
      const { agent, body } = await me(PERSONAS[persona]);
      expect(body.name.first).toBe(clever.name.first);
      expect(body.name.last).toBe(clever.name.last);
      const page = await agent.get('/dashboard').expect(200);
      expect(page.text).toContain(escapeHtml(String(clever.name.last)));
    }
  });

  it('restarts a Clever portal launch (no state) with a fresh state, exchanging no code', async () => {
    const agent = app.agent();
    app.sandbox.store.resetStats();
    const launch = await agent.get('/auth/clever/callback?code=portal-code&scope=read').expect(302);
    expect(launch.headers.location).toBe('/auth/clever');
    expect(app.sandbox.store.stats().byEndpoint['/oauth/tokens'] ?? 0).toBe(0);
    // Following through signs the user in as themselves.
    const done = await signInAs(app, agent, PERSONAS.student);
    expect(done.headers.location).toBe('/');
  });

  it('refuses a callback whose state this browser never got, with a clear 403 page', async () => {
    const agent = app.agent();
    app.sandbox.store.resetStats();
    const res = await agent.get('/auth/clever/callback?code=abc&state=forged').expect(403);
    expect(res.text).toContain('could not be verified');
    expect(res.text).toContain('Log in with Clever');
    expect(app.sandbox.store.stats().byEndpoint['/oauth/tokens'] ?? 0).toBe(0);
    await agent.get('/api/me').expect(401);
  });

  it('answers a refreshed callback page with a redirect, not an error', async () => {
    const agent = app.agent();
    const first = await signInAs(app, agent, PERSONAS.teacher);
    const callbackUrl = callbackPathOf(first);
    const again = await agent.get(callbackUrl);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/');
  });

  it('restarts the sign-in when a code was already used, instead of failing', async () => {
    const a = app.agent();
    const first = await signInAs(app, a, PERSONAS.student);
    const usedCode = new URL(callbackPathOf(first), app.url).searchParams.get('code')!;
    const b = app.agent();
    const start = await b.get('/auth/clever').expect(302);
    const state = new URL(start.headers.location).searchParams.get('state')!;
    const res = await b.get(`/auth/clever/callback?code=${usedCode}&state=${state}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/auth/clever');
  });

  it('replaces the first user with the second on a shared device, and the old cookie stops working', async () => {
    const agent = app.agent();
    await signInAs(app, agent, PERSONAS.teacher);
    const firstCookie = cookieOf(await agent.get('/api/me').expect(200));
    await signInAs(app, agent, PERSONAS.student);
    const now = await agent.get('/api/me').expect(200);
    expect(now.body.cleverId).toBe(PERSONAS.student);
    const stale = await app.agent().get('/api/me').set('Cookie', firstCookie!);
    expect(stale.status).toBe(401);
  });

  it('logs out, and the old session cookie no longer works', async () => {
    const agent = app.agent();
    const res = await signInAs(app, agent, PERSONAS.student);
    const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
    await agent.post('/logout').expect(303);
    await agent.get('/api/me').expect(401);
    await app.agent().get('/api/me').set('Cookie', cookie!).expect(401);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax and regenerates it at login', async () => {
    const agent = app.agent();
    const start = await agent.get('/auth/clever');
    const before = start.headers['set-cookie']?.[0];
    expect(before).toMatch(/HttpOnly/);
    expect(before).toMatch(/SameSite=Lax/);
    const done = await signInAs(app, agent, PERSONAS.student);
    const after = done.headers['set-cookie']?.[0];
    expect(after?.split(';')[0]).not.toBe(before?.split(';')[0]);
  });

  it('shows a friendly page with a way back when Clever returns an error', async () => {
    const res = await app.agent().get('/auth/clever/callback?error=access_denied').expect(400);
    expect(res.text).toContain('Clever could not sign you in');
    expect(res.text).toContain('href="/"');
  });

  it('refuses repeated parameters without calling Clever', async () => {
    app.sandbox.store.resetStats();
    await app.agent().get('/auth/clever/callback?code=a&code=b&state=s&state=s').expect(400);
    expect(app.sandbox.store.stats().byEndpoint['/oauth/tokens'] ?? 0).toBe(0);
  });

  it('passes district_id on to Clever to skip the school picker', async () => {
    const res = await app.agent().get(`/auth/clever?district_id=${PERSONAS.districtId}`).expect(302);
    expect(new URL(res.headers.location).searchParams.get('district_id')).toBe(PERSONAS.districtId);
  });
});

function callbackPathOf(res: unknown): string {
  return (res as { req: { path: string } }).req.path;
}

function cookieOf(res: { headers: Record<string, unknown> }): string | undefined {
  const req = (res as unknown as { request: { cookies?: string }; req?: { getHeader(n: string): unknown } })
    .req;
  return String(req?.getHeader('cookie') ?? '') || undefined;
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}
