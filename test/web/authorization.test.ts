// Deny by default, tenant-safe: every admin and group route answered for every kind of visitor — signed out,
// a student, a teacher, staff (school admin), the district admin of A, the district admin of B, and a
// teacher of B. Another tenant's ids are 404, exactly like ids that do not exist.
import type supertest from 'supertest';
import { createLocalGroup } from '../../src/groups/create-local-group';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { PERSONAS, signedIn, startSyncedApp, userIdOf } from './helpers';

const ACTORS = ['anon', 'student', 'teacher', 'staff', 'adminA', 'adminB', 'teacherB'] as const;
type Actor = (typeof ACTORS)[number];
const LOGINS: Record<Exclude<Actor, 'anon'>, string> = {
  student: PERSONAS.student,
  teacher: PERSONAS.teacher,
  staff: PERSONAS.staff,
  adminA: PERSONAS.districtAdmin,
  adminB: PERSONAS.secondDistrictAdmin,
  teacherB: PERSONAS.secondDistrictTeacher,
};
const MISSING = '00000000-0000-4000-8000-000000000000';
// Names and Clever ids that only one district's pages may show.
const DISTRICT_A = ['Sandbox ISD', PERSONAS.districtId, PERSONAS.student, PERSONAS.teacher];
const DISTRICT_B = [
  'Second District',
  PERSONAS.secondDistrictId,
  PERSONAS.secondDistrictStudent,
  PERSONAS.secondDistrictTeacher,
  PERSONAS.secondDistrictSchool,
];

interface Ids {
  studentA: string;
  studentOutsideStaff: string;
  studentB: string;
  sectionA: string;
  taughtSection: string;
  sectionOutsideStaff: string;
  sectionB: string;
  runA: string;
  reviewA: string;
  groupA: string;
}

// Expected status per visitor: 303 = sent to sign in, 401 = JSON sign-in error, 403 = not for you, 404 = not found.
const ROUTES: Array<[string, (ids: Ids) => string, Record<Actor, number>]> = [
  [
    'roster',
    () => '/admin/roster',
    { anon: 303, student: 403, teacher: 403, staff: 200, adminA: 200, adminB: 200, teacherB: 403 },
  ],
  [
    'roster JSON',
    () => '/api/admin/roster',
    { anon: 401, student: 403, teacher: 403, staff: 200, adminA: 200, adminB: 200, teacherB: 403 },
  ],
  [
    'a student of A',
    (i) => `/admin/people/${i.studentA}`,
    { anon: 303, student: 403, teacher: 403, staff: 200, adminA: 200, adminB: 404, teacherB: 403 },
  ],
  [
    "a student of A outside staff's schools",
    (i) => `/admin/people/${i.studentOutsideStaff}`,
    { anon: 303, student: 403, teacher: 403, staff: 404, adminA: 200, adminB: 404, teacherB: 403 },
  ],
  [
    'a student of B',
    (i) => `/admin/people/${i.studentB}`,
    { anon: 303, student: 403, teacher: 403, staff: 404, adminA: 404, adminB: 200, teacherB: 403 },
  ],
  [
    'a person that does not exist',
    () => `/admin/people/${MISSING}`,
    { anon: 303, student: 403, teacher: 403, staff: 404, adminA: 404, adminB: 404, teacherB: 403 },
  ],
  [
    'a section of A',
    (i) => `/admin/sections/${i.sectionA}`,
    { anon: 303, student: 403, teacher: 403, staff: 200, adminA: 200, adminB: 404, teacherB: 403 },
  ],
  [
    "a section of A outside staff's schools",
    (i) => `/admin/sections/${i.sectionOutsideStaff}`,
    { anon: 303, student: 403, teacher: 403, staff: 404, adminA: 200, adminB: 404, teacherB: 403 },
  ],
  [
    'a section of B',
    (i) => `/admin/sections/${i.sectionB}`,
    { anon: 303, student: 403, teacher: 403, staff: 404, adminA: 404, adminB: 200, teacherB: 403 },
  ],
  [
    'sync health',
    () => '/admin/sync',
    { anon: 303, student: 403, teacher: 403, staff: 403, adminA: 200, adminB: 200, teacherB: 403 },
  ],
  [
    'a sync run of A',
    (i) => `/admin/sync/runs/${i.runA}`,
    { anon: 303, student: 403, teacher: 403, staff: 403, adminA: 200, adminB: 404, teacherB: 403 },
  ],
  [
    'a match review of A',
    (i) => `/admin/reviews/${i.reviewA}`,
    { anon: 303, student: 403, teacher: 403, staff: 403, adminA: 200, adminB: 404, teacherB: 403 },
  ],
  [
    "new group from A's teacher's section",
    (i) => `/groups/new?section=${i.taughtSection}`,
    { anon: 303, student: 403, teacher: 200, staff: 403, adminA: 403, adminB: 403, teacherB: 404 },
  ],
  [
    "a group of A's teacher",
    (i) => `/groups/${i.groupA}`,
    { anon: 303, student: 403, teacher: 200, staff: 403, adminA: 403, adminB: 403, teacherB: 404 },
  ],
];

describe(`who may open which page (${backend})`, () => {
  let app: TestApp;
  const agents = {} as Record<Actor, supertest.Agent>;
  let ids: Ids;

  beforeAll(async () => {
    app = await startSyncedApp();
    agents.anon = app.agent();
    for (const [actor, cleverId] of Object.entries(LOGINS))
      agents[actor as Actor] = await signedIn(app, cleverId);
    ids = await seedIds(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(ROUTES)('answers %s for each visitor as the matrix says', async (_name, path, expected) => {
    const actual = {} as Record<Actor, number>;
    for (const actor of ACTORS) {
      const res = await agents[actor].get(path(ids)).set('Accept', 'text/html');
      actual[actor] = res.status;
      if (res.status === 200) {
        expect(res.headers['cache-control']).toBe('no-store');
        // What a visitor is shown belongs to their own district: nothing of the other one.
        const foreign = actor === 'adminB' || actor === 'teacherB' ? DISTRICT_A : DISTRICT_B;
        for (const marker of foreign)
          expect({ actor, leaked: res.text.includes(marker) }).toEqual({ actor, leaked: false });
      }
    }
    expect(actual).toEqual(expected);
  });

  it("shows another district's section exactly like a section that does not exist", async () => {
    const foreign = await agents.adminB.get(`/admin/sections/${ids.sectionA}`).expect(404);
    const missing = await agents.adminB.get(`/admin/sections/${MISSING}`).expect(404);
    const main = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)![1];
    expect(main(foreign.text)).toBe(main(missing.text));
    const json = await agents.adminB.get(`/api/admin/roster?cursor=x`).set('Accept', 'application/json');
    expect(json.status).toBe(400);
  });

  it('keeps an admin in their own district whatever the query names', async () => {
    const html = await agents.adminA
      .get(`/admin/roster?districtId=${PERSONAS.secondDistrictId}&q=`)
      .expect(200);
    expect(html.text).toContain('Sandbox ISD');
    expect(html.text).not.toContain('Second District');
    const api = await agents.adminA
      .get(`/api/admin/roster?district=${PERSONAS.secondDistrictId}&districtId=${PERSONAS.secondDistrictId}`)
      .expect(200);
    expect(api.body.district.cleverId).toBe(PERSONAS.districtId);
    const text = JSON.stringify(api.body);
    for (const id of [
      PERSONAS.secondDistrictStudent,
      PERSONAS.secondDistrictTeacher,
      PERSONAS.secondDistrictSchool,
    ]) {
      expect(text).not.toContain(id);
    }
  });

  it('takes the roster away at once when an admin is demoted', async () => {
    const agent = await signedIn(app, PERSONAS.districtAdmin);
    await agent.get('/admin/roster').expect(200);
    const id = await userIdOf(app, PERSONAS.districtAdmin);
    await app.db.prisma.user.update({ where: { id }, data: { roles: ['teacher'] } });
    await agent.get('/admin/roster').set('Accept', 'text/html').expect(403);
    await app.db.prisma.user.update({ where: { id }, data: { roles: ['district_admin'] } });
  });

  it('refuses a cross-site "Sync now" and records no run', async () => {
    const before = await app.db.prisma.syncRun.count();
    await agents.adminA
      .post('/admin/sync')
      .set('Origin', 'https://evil.example')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ mode: 'sync' })
      .expect(403);
    expect(await app.db.prisma.syncRun.count()).toBe(before);
  });

  it("refuses to approve or discard another district's run (404) and changes nothing", async () => {
    const token = await csrf(agents.adminB);
    for (const action of ['approve', 'discard']) {
      await agents.adminB
        .post(`/admin/sync/runs/${ids.runA}/${action}`)
        .type('form')
        .send({ _csrf: token })
        .expect(404);
    }
    const run = await app.db.prisma.syncRun.findUniqueOrThrow({ where: { id: ids.runA } });
    expect(run.resolvedById).toBeNull();
  });
});

async function csrf(agent: supertest.Agent): Promise<string> {
  const res = await agent.get('/admin/sync');
  return /name="_csrf" value="([^"]+)"/.exec(res.text)![1]!;
}

async function seedIds(app: TestApp): Promise<Ids> {
  const prisma = app.db.prisma;
  const staffId = await userIdOf(app, PERSONAS.staff);
  const staffSchools = (
    await prisma.schoolMembership.findMany({ where: { userId: staffId, archivedAt: null } })
  ).map((m) => m.schoolId);
  if (staffSchools.length === 0) throw new Error('the staff persona has no schools');
  const districtA = (await prisma.district.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtId } }))
    .id;
  const sectionA = await prisma.section.findFirstOrThrow({
    where: { schoolId: { in: staffSchools } },
  });
  const taught = await prisma.section.findFirstOrThrow({
    where: { memberships: { some: { user: { cleverId: PERSONAS.teacher }, role: 'teacher' } } },
  });
  const studentA = await prisma.user.findFirstOrThrow({
    where: {
      districtId: districtA,
      roles: { has: 'student' },
      schoolMemberships: { some: { schoolId: { in: staffSchools } } },
    },
  });
  const outside = await prisma.section.findFirstOrThrow({
    where: { districtId: districtA, schoolId: { notIn: staffSchools } },
  });
  const studentOutside = await prisma.user.findFirstOrThrow({
    where: {
      districtId: districtA,
      roles: { has: 'student' },
      schoolMemberships: { none: { schoolId: { in: staffSchools } } },
    },
  });
  const runA = await prisma.syncRun.findFirstOrThrow({ where: { districtId: districtA } });
  const local = await prisma.user.create({
    data: { managedBy: 'local', roles: ['student'], email: 'x@example.org' },
  });
  const review = await prisma.matchReview.create({
    data: {
      districtId: districtA,
      userId: studentA.id,
      emailNormalized: 'x@example.org',
      candidateUserIds: [local.id],
      reason: 'test',
    },
  });
  const teacherId = await userIdOf(app, PERSONAS.teacher);
  const { group } = await createLocalGroup(prisma, {
    ownerId: teacherId,
    sectionId: taught.id,
    name: 'G',
    memberIds: [],
  });
  return {
    studentA: studentA.id,
    studentOutsideStaff: studentOutside.id,
    studentB: await userIdOf(app, PERSONAS.secondDistrictStudent),
    sectionA: sectionA.id,
    taughtSection: taught.id,
    sectionOutsideStaff: outside.id,
    sectionB: (
      await prisma.section.findFirstOrThrow({ where: { district: { cleverId: PERSONAS.secondDistrictId } } })
    ).id,
    runA: runA.id,
    reviewA: review.id,
    groupA: group.id,
  };
}
