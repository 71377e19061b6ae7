// A 50,000-student district: the roster's first page, a page deep into the alphabet, a search and the JSON
// export's pages all answer quickly, because every list is a keyset page (no OFFSET) served by an index.
import type supertest from 'supertest';
import { encodeCursor } from '../../src/roster/cursor';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { getRosterPage } from '../../src/roster/roster-page';
import { PERSONAS, searchRoster, signedIn, startSyncedApp } from './helpers';

const STUDENTS = 50_000;

async function timed(agent: supertest.Agent, url: string): Promise<number> {
  const started = Date.now();
  await agent.get(url).expect(200);
  return Date.now() - started;
}

describe(`the roster of a 50k-student district (${backend})`, () => {
  let app: TestApp;
  let admin: supertest.Agent;
  beforeAll(async () => {
    app = await startSyncedApp();
    admin = await signedIn(app, PERSONAS.districtAdmin);
    // Bulk rows straight in SQL: the sync's own speed is tested elsewhere; here only the reads matter.
    await app.db.pool.query(
      `WITH d AS (SELECT id FROM "District" WHERE "cleverId" = $1),
            s AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS c FROM "School"
                   WHERE "districtId" = (SELECT id FROM d)),
            u AS (INSERT INTO "User" ("cleverId", "districtId", roles, "firstName", "lastName", email, "sisId", "matchedBy")
                  SELECT 'scale' || g, (SELECT id FROM d), '{student}', 'Kid' || (g % 997), 'Family' || lpad((g % 5000)::text, 4, '0'),
                         'kid' || g || '@scale.example.org', 'S' || g, 'created'
                    FROM generate_series(1, $2::int) g
                  RETURNING id, "sisId")
       INSERT INTO "SchoolMembership" ("userId", "schoolId", "isPrimary")
       SELECT u.id, s.id, true FROM u JOIN s ON s.n = (substring(u."sisId" from 2)::int % s.c)`,
      [PERSONAS.districtId, STUDENTS],
    );
    await app.db.pool.query('ANALYZE');
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  it('answers the first page, a deep page, a search and a school filter in under three seconds even on the embedded database', async () => {
    const school = await app.db.prisma.school.findFirstOrThrow({
      where: { cleverId: PERSONAS.charterSchool },
    });
    const late = await app.db.prisma.user.findFirstOrThrow({
      where: { lastName: 'Family4990' },
      orderBy: { id: 'asc' },
    });
    const deep = encodeCursor([late.lastName, late.firstName, late.id]);
    const search = (await searchRoster(admin, { q: 'kid4242' })).url;
    const inSchool = (await searchRoster(admin, { school: school.id, role: 'student' })).url;
    const scope = { districtId: late.districtId!, schoolIds: null, isDistrictAdmin: true };
    // A deep page's cursor is kept in the session, never in a URL: its queries are timed directly.
    const deepStarted = Date.now();
    await getRosterPage(app.db.prisma, scope, { view: 'people', cursor: deep });
    const times = {
      first: await timed(admin, '/admin/roster'),
      deep: Date.now() - deepStarted,
      search: await timed(admin, search),
      school: await timed(admin, inSchool),
      sections: await timed(admin, '/admin/roster?view=sections'),
    };
    for (const ms of Object.values(times)) expect(ms).toBeLessThan(3000);
  });

  it('pages through the JSON export quickly, far into the users', async () => {
    const first = await admin.get('/api/admin/roster?limit=1000').expect(200);
    expect(first.body.users.length).toBeGreaterThan(0);
    const [someone] = await app.db.prisma.user.findMany({ orderBy: { id: 'asc' }, skip: 30_000, take: 1 });
    const started = Date.now();
    const res = await admin
      .get(`/api/admin/roster?limit=1000&cursor=${encodeCursor(['u', someone!.id])}`)
      .expect(200);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.body.users).toHaveLength(1000);
    expect(res.body.users.every((u: { cleverId: string }) => u.cleverId)).toBe(true);
  });
});
