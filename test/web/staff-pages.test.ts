// The pages district staff use every day: where each role lands, what a page they may not open says, the
// person page's answers to "why is this student not in my app?", the roster kept out of URLs and its CSV.
import type supertest from 'supertest';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { PERSONAS, signedIn, startSyncedApp } from './helpers';

const main = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)![1]!;

describe(`staff pages (${backend})`, () => {
  let app: TestApp;
  let admin: supertest.Agent;
  beforeAll(async () => {
    app = await startSyncedApp();
    admin = await signedIn(app, PERSONAS.districtAdmin);
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('landing', () => {
    it("lands a district admin on their district's overview with counts, sync health and reviews waiting", async () => {
      const home = await admin.get('/').expect(303);
      expect(home.headers.location).toBe('/admin');
      const page = await admin.get('/admin').expect(200);
      const students = await app.db.prisma.user.count({
        where: { archivedAt: null, roles: { has: 'student' }, district: { cleverId: PERSONAS.districtId } },
      });
      expect(page.text).toContain('Sandbox ISD');
      expect(main(page.text)).toMatch(
        new RegExp(`${students.toLocaleString('en-US')}</span> <span class="stat-label">Students`),
      );
      expect(page.text).toContain('Last successful sync');
      expect(page.text).toContain('Waiting for you');
      expect(main(page.text)).not.toContain('You are not in any class yet');
    });

    it('lands a teacher on their classes, and the sign-in itself goes through the landing', async () => {
      const teacher = await signedIn(app, PERSONAS.teacher);
      expect((await teacher.get('/').expect(303)).headers.location).toBe('/dashboard');
      const classes = await teacher.get('/dashboard').expect(200);
      expect(classes.text).toContain('My classes');
      expect(classes.text).not.toContain('href="/admin"');
    });

    it('lands school staff on the overview of their own schools, without the district-only sync runs', async () => {
      const staff = await signedIn(app, PERSONAS.staff);
      expect((await staff.get('/').expect(303)).headers.location).toBe('/admin');
      const page = await staff.get('/admin').expect(200);
      expect(page.text).toContain('your schools (');
      expect(page.text).not.toContain('href="/admin/sync"');
    });

    it('lets a teacher who is also a district admin reach both the overview and their classes', async () => {
      const both = await signedIn(app, PERSONAS.multiRoleTeacherStaffAdmin);
      expect((await both.get('/').expect(303)).headers.location).toBe('/admin');
      const overview = await both.get('/admin').expect(200);
      expect(overview.text).toContain('href="/dashboard"');
      expect((await both.get('/dashboard').expect(200)).text).toContain('href="/admin"');
    });
  });

  describe('a page the account may not open', () => {
    it('says plainly that this account cannot open it, why (its role), and where to go instead', async () => {
      const teacher = await signedIn(app, PERSONAS.teacher);
      const res = await teacher.get('/admin/roster').set('Accept', 'text/html').expect(403);
      expect(res.text).toContain('Your account cannot open this page');
      expect(res.text).toContain('Your account is a teacher in Clever');
      expect(res.text).toContain('district admins and school staff');
      expect(main(res.text)).toContain('href="/dashboard"');
      expect(res.text).not.toContain('Something went wrong');
    });

    it('tells school staff that the sync page is for district admins, with a way back to their overview', async () => {
      const staff = await signedIn(app, PERSONAS.staff);
      const res = await staff.get('/admin/sync').set('Accept', 'text/html').expect(403);
      expect(res.text).toContain('it is for district admins.');
      expect(main(res.text)).toContain('href="/admin"');
    });

    it('keeps the stable code forbidden in JSON answers', async () => {
      const teacher = await signedIn(app, PERSONAS.teacher);
      const res = await teacher.get('/api/admin/roster').expect(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toMatch(/teacher/);
    });
  });
});
