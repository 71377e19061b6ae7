// docs/security.md, rows 39 and 40: work that races — two syncs of one district, and a crowd of first
// sign-ins of one person while a sync writes the same rows.
//
// Also covered: test/sync/jobs.test.ts "never runs two syncs of one district at once: the second is refused"
// (row 39) and test/auth/provisioning.test.ts "creates one account when the same person signs in 20 times at
// once, with no server error" (row 40 without the sync).
import { syncDistrict } from '../sync/helpers';
import { signInAs, startTestApp, type TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { PERSONAS } from './helpers';

describe('concurrent sign-ins and syncs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { SYNC_PAGE_SIZE: '20' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const duplicates = async () => {
    const q = async (sql: string) => (await app.db.pool.query(sql)).rows;
    return {
      users: await q(
        `SELECT "cleverId" FROM "User" WHERE "cleverId" IS NOT NULL GROUP BY 1 HAVING count(*) > 1`,
      ),
      sections: await q(
        `SELECT "sectionId", "userId" FROM "SectionMembership" GROUP BY 1, 2 HAVING count(*) > 1`,
      ),
      schools: await q(
        `SELECT "userId", "schoolId" FROM "SchoolMembership" GROUP BY 1, 2 HAVING count(*) > 1`,
      ),
    };
  };

  it('row 40: 50 first sign-ins of one teacher during a sync make one account, no 5xx, no duplicates', async () => {
    expect(await app.db.prisma.user.count({ where: { cleverId: PERSONAS.teacher } })).toBe(0);
    const sync = syncDistrict(app);
    const logins = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const agent = app.agent();
        const res = await signInAs(app, agent, PERSONAS.teacher);
        return { status: res.status, me: res.status === 303 ? (await agent.get('/api/me')).status : 0 };
      }),
    );
    expect((await sync).status).toBe('succeeded');
    expect(logins.filter((l) => l.status >= 500)).toEqual([]);
    expect(logins.every((l) => l.status === 303 && l.me === 200)).toBe(true);
    expect(await app.db.prisma.user.count({ where: { cleverId: PERSONAS.teacher } })).toBe(1);
    expect(await duplicates()).toEqual({ users: [], sections: [], schools: [] });
    const teacher = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.teacher } });
    const sections = app.sandbox.store
      .listSections(PERSONAS.districtId)
      .filter((s) => s.teachers.includes(PERSONAS.teacher));
    expect(
      await app.db.prisma.sectionMembership.count({ where: { userId: teacher.id, archivedAt: null } }),
    ).toBe(sections.length);
  });

  it('row 39: of two syncs of one district started together, one runs and the other says one is running', async () => {
    const results = await Promise.all([syncDistrict(app), syncDistrict(app)]);
    expect(results.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
    expect(results.find((r) => r.status === 'failed')?.error).toMatch(
      /Another sync of this district is running/,
    );
    expect(await app.db.prisma.syncRun.count({ where: { status: 'running' } })).toBe(0);
    expect(await duplicates()).toEqual({ users: [], sections: [], schools: [] });
  });

  // PostgreSQL only: the embedded database runs in this process and has no connections to lose.
  (backend === 'postgres' ? it : it.skip)(
    'keeps serving when the server drops every connection (a restart or failover), instead of crashing',
    async () => {
      const agent = app.agent();
      await signInAs(app, agent, PERSONAS.student);
      await app.agent().get('/healthz').expect(200); // the pool holds idle connections now
      const killed = await app.db.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 200)); // idle clients see the termination
      let me = await agent.get('/api/me');
      if (me.status >= 500) me = await agent.get('/api/me'); // a request on a dying connection may fail once
      expect(me.status).toBe(200);
      expect((await syncDistrict(app)).status).toBe('succeeded');
    },
  );
});
