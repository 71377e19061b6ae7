// The roster pages a district admin or a school's staff uses: search, filters, counts, keyset pages, a
// person's page with how they were matched and why they were archived.
import type supertest from 'supertest';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { PERSONAS, searchRoster, signedIn, startSyncedApp, userIdOf } from './helpers';
import { syncNow } from '../../src/sync/sync-api';

const names = (html: string) =>
  [...html.matchAll(/<td data-label="Name"><a href="\/admin\/people\/[^"]+">([^<]+)<\/a>/g)].map(
    (m) => m[1]!,
  );
const nextLink = (html: string) =>
  /<a class="button" href="([^"]+)" rel="next">/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;
const matchCount = (html: string) =>
  Number(/<strong>([\d,]+)<\/strong> (?:people|person|sections?) match/.exec(html)![1]!.replace(/,/g, ''));

describe(`the roster pages (${backend})`, () => {
  let app: TestApp;
  let admin: supertest.Agent;
  beforeAll(async () => {
    app = await startSyncedApp();
    admin = await signedIn(app, PERSONAS.districtAdmin);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds a person by email and by sis_id, whatever the case', async () => {
    const steve = app.sandbox.store.getUser(PERSONAS.student)!;
    const byEmail = (await searchRoster(admin, { q: String(steve.email).toUpperCase() })).res;
    expect(names(byEmail.text)).toEqual(['Steve Ziemann']);
    const bySis = (
      await searchRoster(admin, {
        q: (await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.student } })).sisId!,
      })
    ).res;
    expect(names(bySis.text)).toContain('Steve Ziemann');
  });

  it('narrows people by role and school, and counts what matches', async () => {
    const teachers = (await searchRoster(admin, { role: 'teacher' })).res;
    expect(matchCount(teachers.text)).toBe(
      await app.db.prisma.user.count({
        where: { roles: { has: 'teacher' }, archivedAt: null, district: { cleverId: PERSONAS.districtId } },
      }),
    );
    expect(names(teachers.text)).toContain('Maria Alvarez');
    expect(names(teachers.text)).not.toContain('Steve Ziemann');
    const school = await app.db.prisma.school.findFirstOrThrow({
      where: { cleverId: PERSONAS.charterSchool },
    });
    const inSchool = (await searchRoster(admin, { school: school.id, role: 'student' })).res;
    const expected = await app.db.prisma.schoolMembership.count({
      where: { schoolId: school.id, archivedAt: null, user: { roles: { has: 'student' } } },
    });
    expect(matchCount(inSchool.text)).toBe(expected);
  });

  it("lists a school's sections with their teachers and student counts", async () => {
    const section = app.sandbox.store.getSection(PERSONAS.coTaughtSection)!;
    const school = await app.db.prisma.school.findUniqueOrThrow({ where: { cleverId: section.school } });
    const res = (await searchRoster(admin, { view: 'sections', school: school.id })).res;
    expect(res.text).toContain(section.name);
    expect(res.text).toMatch(/Maria Alvarez/);
    const detail = await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: section.id } });
    const page = await admin.get(`/admin/sections/${detail.id}`).expect(200);
    expect(page.text).toContain(`Students (${section.students.length})`);
    expect(page.text).toContain('(co-teacher)');
  });

  it('walks every person exactly once, in name order, through the next-page links', async () => {
    // Local accounts without names and with equal names sort last / by id: the keyset must not skip or repeat them.
    const district = await app.db.prisma.district.findUniqueOrThrow({
      where: { cleverId: PERSONAS.districtId },
    });
    await app.db.prisma.user.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        districtId: district.id,
        managedBy: 'local' as const,
        roles: ['student' as const],
        firstName: i % 3 === 0 ? null : 'Sam',
        lastName: i % 2 === 0 ? null : 'Same',
      })),
    });
    const seen: string[] = [];
    let url: string | null = (await searchRoster(admin, { role: 'student' })).url;
    let pages = 0;
    let total = 0;
    while (url) {
      const res = await admin.get(url).expect(200);
      total = matchCount(res.text);
      seen.push(...[...res.text.matchAll(/href="\/admin\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1]!));
      url = nextLink(res.text);
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
  });

  it('runs the same few queries for a page of 50 people as for a page of 1 (no query per row)', async () => {
    const one = await searchRoster(admin, { q: 'Steve Ziemann' });
    const all = await searchRoster(admin, { role: 'student' });
    let before = app.db.statements.count;
    await admin.get(one.url).expect(200);
    const oneCount = app.db.statements.count - before;
    before = app.db.statements.count;
    await admin.get(all.url).expect(200);
    const many = app.db.statements.count - before;
    expect(many).toBe(oneCount);
  });

  it('says a tampered page link is not valid instead of showing a different page', async () => {
    const { url } = await searchRoster(admin, { role: 'student' });
    const res = await admin.get(`${url}&page=7`).set('Accept', 'text/html').expect(400);
    expect(res.text).toContain('Start again from the first page');
  });

  it("shows on a person's page how the account was matched, and when and why it was archived", async () => {
    const id = await userIdOf(app, PERSONAS.student);
    await app.db.prisma.progress.create({ data: { userId: id, activity: 'Fractions quiz', score: 9 } });
    app.sandbox.store.unshare('user', PERSONAS.student);
    await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
    const hidden = (await searchRoster(admin, { q: 'Steve Ziemann' })).res;
    expect(names(hidden.text)).toEqual([]);
    const shown = (await searchRoster(admin, { q: 'Steve Ziemann', archived: 'true' })).res;
    expect(shown.text).toMatch(/Steve Ziemann<\/a> <span class="badge archived">archived/);
    const page = await admin.get(`/admin/people/${id}`).expect(200);
    expect(page.text).toContain('created for this Clever user');
    expect(page.text).toMatch(/<strong>archived<\/strong> by the district sync/);
    expect(page.text).toContain('Fractions quiz: 9');
    app.sandbox.store.reshare('user', PERSONAS.student);
  });

  it("limits staff to their own schools' people and counts", async () => {
    const staff = await signedIn(app, PERSONAS.staff);
    const staffId = await userIdOf(app, PERSONAS.staff);
    const mine = await app.db.prisma.schoolMembership.findMany({
      where: { userId: staffId, archivedAt: null },
      include: { school: true },
    });
    const res = await staff.get('/admin/roster').expect(200);
    const schoolLinks = [...res.text.matchAll(/view=sections&amp;school=([0-9a-f-]{36})/g)].map((m) => m[1]);
    expect(new Set(schoolLinks)).toEqual(new Set(mine.map((m) => m.schoolId)));
    const outsider = await app.db.prisma.user.findFirstOrThrow({
      where: {
        roles: { has: 'student' },
        district: { cleverId: PERSONAS.districtId },
        schoolMemberships: { none: { schoolId: { in: mine.map((m) => m.schoolId) } } },
      },
    });
    const search = (await searchRoster(staff, { q: outsider.lastName ?? '' })).res;
    expect(search.text).not.toContain(`/admin/people/${outsider.id}`);
  });
});
