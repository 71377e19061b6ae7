// GET /api/admin/roster: the contract in ../shared/notes/interface.md — shape, pages, archived records, staff.
import type supertest from 'supertest';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { syncNow } from '../../src/sync/sync-api';
import { PERSONAS, signedIn, startSyncedApp, userIdOf } from './helpers';

interface Page {
  district: { cleverId: string; name: string };
  schools: Array<{ cleverId: string; name: string; archived: boolean }>;
  terms: unknown[];
  courses: unknown[];
  sections: Array<{
    cleverId: string;
    teachers: string[];
    students: string[];
    school: string;
    archived: boolean;
  }>;
  users: Array<{ cleverId: string; roles: string[]; archived: boolean; matchedBy: string }>;
  next: string | null;
}

async function allPages(agent: supertest.Agent, query = '') {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/admin/roster?limit=17${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await agent.get(url).expect(200);
    pages.push(res.body);
    cursor = res.body.next;
  } while (cursor && pages.length < 100);
  return {
    pages,
    schools: pages.flatMap((p) => p.schools),
    sections: pages.flatMap((p) => p.sections),
    users: pages.flatMap((p) => p.users),
  };
}

describe(`the roster JSON (${backend})`, () => {
  let app: TestApp;
  let admin: supertest.Agent;
  beforeAll(async () => {
    app = await startSyncedApp();
    admin = await signedIn(app, PERSONAS.districtAdmin);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has exactly the documented shape', async () => {
    const res = await admin.get('/api/admin/roster').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.body).sort()).toEqual([
      'courses',
      'district',
      'next',
      'schools',
      'sections',
      'terms',
      'users',
    ]);
    expect(res.body.district).toEqual({ cleverId: PERSONAS.districtId, name: 'Sandbox ISD' });
    expect(Object.keys(res.body.sections[0]).sort()).toEqual([
      'archived',
      'cleverId',
      'course',
      'name',
      'school',
      'students',
      'teachers',
      'term',
    ]);
    expect(Object.keys(res.body.users[0]).sort()).toEqual([
      'archived',
      'cleverId',
      'email',
      'matchedBy',
      'name',
      'roles',
    ]);
    const coTaught = app.sandbox.store.getSection(PERSONAS.coTaughtSection)!;
    const section = res.body.sections.find((s: { cleverId: string }) => s.cleverId === coTaught.id);
    expect(section.teachers.sort()).toEqual([PERSONAS.teacher, PERSONAS.coTeacher].sort());
    expect(section.students.sort()).toEqual([...coTaught.students].sort());
  });

  it('hands out every section and user exactly once across its pages', async () => {
    const { pages, sections, users } = await allPages(admin);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages[pages.length - 1]!.next).toBeNull();
    const prisma = app.db.prisma;
    const where = { district: { cleverId: PERSONAS.districtId }, archivedAt: null };
    expect(new Set(sections.map((s) => s.cleverId)).size).toBe(await prisma.section.count({ where }));
    expect(sections).toHaveLength(await prisma.section.count({ where }));
    expect(new Set(users.map((u) => u.cleverId)).size).toBe(await prisma.user.count({ where }));
    expect(users).toHaveLength(await prisma.user.count({ where }));
    expect(pages.slice(1).every((p) => p.schools.length === 0)).toBe(true);
  });

  it('adds archived records, marked archived, only when asked', async () => {
    app.sandbox.store.unshare('user', PERSONAS.studentApostrophe);
    await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
    const active = await allPages(admin);
    expect(active.users.map((u) => u.cleverId)).not.toContain(PERSONAS.studentApostrophe);
    const all = await allPages(admin, '&includeArchived=true');
    expect(all.users.find((u) => u.cleverId === PERSONAS.studentApostrophe)).toMatchObject({
      archived: true,
    });
    expect(all.users.filter((u) => !u.archived)).toHaveLength(active.users.length);
    app.sandbox.store.reshare('user', PERSONAS.studentApostrophe);
  });

  it('gives staff their own schools only', async () => {
    const staff = await signedIn(app, PERSONAS.staff);
    const mine = await app.db.prisma.schoolMembership.findMany({
      where: { userId: await userIdOf(app, PERSONAS.staff), archivedAt: null },
      include: { school: true },
    });
    const mySchools = mine.map((m) => m.school.cleverId).sort();
    const { schools, sections, users } = await allPages(staff);
    expect(schools.map((s) => s.cleverId).sort()).toEqual(mySchools);
    expect(sections.every((s) => mySchools.includes(s.school))).toBe(true);
    const everyone = (await allPages(admin)).users.length;
    expect(users.length).toBeLessThan(everyone);
  });
});
