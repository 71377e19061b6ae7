// The pages district staff use every day: where each role lands, what a page they may not open says, the
// person page's answers to "why is this student not in my app?", the roster kept out of URLs and its CSV.
import type supertest from 'supertest';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { syncNow } from '../../src/sync/sync-api';
import { PERSONAS, csrfOf, searchRoster, signedIn, startSyncedApp, userIdOf } from './helpers';

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

  describe('the roster search, kept out of URLs', () => {
    const hrefs = (html: string) =>
      [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

    it('posts a search and answers with a page whose URL, links and export name no one', async () => {
      const { res, url } = await searchRoster(admin, { q: 'Ziemann' });
      expect(url).toMatch(/^\/admin\/roster\?search=[\w-]{8}$/);
      expect(res.text).toContain('Steve Ziemann');
      for (const link of [url, ...hrefs(res.text)]) expect(link).not.toMatch(/ziemann|[?&](q|cursor)=/i);
      const csv = await admin.get(url.replace('/admin/roster', '/admin/roster/export.csv')).expect(200);
      expect(csv.text.split('\r\n').filter((l) => l.startsWith('Steve Ziemann'))).toHaveLength(1);
    });

    it('never reads a name from the URL, even if one is put there', async () => {
      const total = (html: string) => /<strong>([\d,]+)<\/strong> (?:people|person) match/.exec(html)![1];
      const all = await admin.get('/admin/roster').expect(200);
      const named = await admin.get('/admin/roster?q=Ziemann').expect(200);
      expect(total(named.text)).toBe(total(all.text));
    });

    it('pages through a search by page number, the cursors staying in the session', async () => {
      const { res, url } = await searchRoster(admin, { role: 'student' });
      const next = hrefs(res.text).find((h) => h.includes('page=2'))!;
      expect(next).toBe(`${url}&page=2`);
      const second = await admin.get(next).expect(200);
      expect(hrefs(second.text)).toContain(url);
      // Another session has no such search: it is shown unfiltered with a notice, never someone else's search.
      const other = await signedIn(app, PERSONAS.districtAdmin);
      const foreign = await other.get(url).expect(200);
      expect(foreign.text).toContain('That search is no longer kept');
    });

    it('turns a school link (ids only) into a kept search too', async () => {
      const school = await app.db.prisma.school.findFirstOrThrow({
        where: { cleverId: PERSONAS.charterSchool },
      });
      const res = await admin.get(`/admin/roster?view=sections&school=${school.id}`).expect(303);
      expect(res.headers.location).toMatch(/^\/admin\/roster\?view=sections&search=[\w-]{8}$/);
    });

    it('refuses a search form posted without its CSRF token', async () => {
      await csrfOf(admin, '/admin/roster');
      await admin.post('/admin/roster').type('form').send({ q: 'Ziemann' }).expect(403);
    });
  });

  describe('the roster export (CSV)', () => {
    it('holds exactly what the admin sees, filters applied, every page of it', async () => {
      const { url, res } = await searchRoster(admin, { role: 'teacher' });
      const total = Number(/<strong>([\d,]+)<\/strong> (?:people|person) match/.exec(res.text)![1]);
      const csv = await admin.get(url.replace('/admin/roster', '/admin/roster/export.csv')).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/attachment; filename="?roster-people-/);
      const lines = csv.text.split('\r\n').filter(Boolean);
      expect(lines[0]).toBe('name,roles,email,sis_id,schools,clever_id,archived');
      expect(lines).toHaveLength(total + 1);
      expect(lines.slice(1).every((l) => /Teacher/.test(l))).toBe(true);
    });

    it('keeps a cell that looks like a formula as text', async () => {
      const steve = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.student } });
      await app.db.prisma.user.update({
        where: { id: steve.id },
        data: { firstName: '=HYPERLINK("http://x")', lastName: 'Ziemann', sisId: '+1234', email: '@x' },
      });
      const { url } = await searchRoster(admin, { q: 'Ziemann' });
      const csv = await admin.get(url.replace('/admin/roster', '/admin/roster/export.csv')).expect(200);
      const row = csv.text.split('\r\n')[1]!;
      expect(row).toBe(
        `"'=HYPERLINK(""http://x"") Ziemann",Student,'@x,'+1234,${row.split(',').slice(4).join(',')}`,
      );
      expect(row).not.toMatch(/(^|,)[=+\-@]/);
      await app.db.prisma.user.update({
        where: { id: steve.id },
        data: {
          firstName: steve.firstName,
          lastName: steve.lastName,
          sisId: steve.sisId,
          email: steve.email,
        },
      });
    });
  });

  describe('the person page: why is this student not in my app?', () => {
    it('says when Clever last listed the person, which account they were matched to and how', async () => {
      const id = await userIdOf(app, PERSONAS.student);
      const page = await admin.get(`/admin/people/${id}`).expect(200);
      const user = await app.db.prisma.user.findUniqueOrThrow({ where: { id } });
      expect(page.text).toContain('What Clever last said');
      expect(page.text).toContain(
        `Last listed by Clever</dt><dd>${user.lastSeenAt!.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      );
      expect(page.text).toContain(`<code>${id}</code>`);
      expect(page.text).toMatch(/Matched to Clever<\/dt><dd>(by Clever id|created for this Clever user)/);
    });

    it('answers a search by Clever id for an archived student, with why, and an outside id like an unknown one', async () => {
      app.sandbox.store.unshare('user', PERSONAS.studentTwoSchools);
      await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
      const archived = (await searchRoster(admin, { q: PERSONAS.studentTwoSchools })).res;
      const answer = (html: string) =>
        /<section class="panel" aria-labelledby="clever-id-h">([\s\S]*?)<\/section>/.exec(html)![1]!;
      expect(answer(archived.text)).toMatch(/archived \d{4}-\d\d-\d\d \d\d:\d\d UTC — \S/);
      expect(archived.text).toMatch(/<strong>0<\/strong> people match/);

      const foreign = (await searchRoster(admin, { q: PERSONAS.secondDistrictStudent })).res;
      const unknownId = 'a'.repeat(PERSONAS.secondDistrictStudent.length);
      const unknown = (await searchRoster(admin, { q: unknownId })).res;
      expect(answer(foreign.text).replaceAll(PERSONAS.secondDistrictStudent, 'ID')).toBe(
        answer(unknown.text).replaceAll(unknownId, 'ID'),
      );
      expect(answer(unknown.text)).toContain('No one in your roster has the Clever id');
    });
  });

  describe('a sync shows its progress', () => {
    it('records the pages read and records written, for the run page to follow without reloading', async () => {
      const started = await admin.post('/api/admin/sync').send({}).expect(202);
      const runId = started.body.runId as string;
      let run = (await admin.get(`/api/admin/sync/${runId}`).expect(200)).body;
      expect(['queued', 'running']).toContain(run.status);
      const page = await admin.get(`/admin/sync/runs/${runId}`).expect(200);
      expect(page.text).toContain('<script src="/static/sync-progress.js" defer></script>');
      expect(page.text).toMatch(/<p role="status" id="run-progress" data-run-id="[0-9a-f-]{36}">/);
      expect(page.text).not.toContain('http-equiv="refresh"');
      await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
      const done = await app.db.prisma.syncRun.findFirstOrThrow({
        where: { district: { cleverId: PERSONAS.districtId }, status: 'succeeded' },
        orderBy: { createdAt: 'desc' },
      });
      run = (await admin.get(`/api/admin/sync/${done.id}`).expect(200)).body;
      const read = ['school', 'term', 'course', 'user', 'section']
        .map((t) => run.counts[t])
        .reduce(
          (sum: number, c: Record<string, number>) => sum + c.created + c.updated + c.unchanged + c.errors,
          0,
        );
      expect(run.progress).toEqual({
        collection: 'sections',
        pagesRead: expect.any(Number),
        recordsRead: read,
        recordsWritten: expect.any(Number),
      });
      expect(run.progress.pagesRead).toBeGreaterThanOrEqual(5);
      const finished = await admin.get(`/admin/sync/runs/${done.id}`).expect(200);
      expect(finished.text).toContain(
        `Read: ${run.progress.pagesRead} pages read, ${read.toLocaleString('en-US')} records read`,
      );
      expect(finished.text).not.toContain('sync-progress.js');
    });
  });
});
