// Security checklist §6, rows 24–29: one district never sees or changes another's data.
//
// Covered in test/web/authorization.test.ts (the role × route × tenant matrix, row 26, with student, teacher,
// staff = school admin, admin A, admin B, teacher B and signed-out visitors; every 200 also carries
// Cache-Control: no-store):
// - row 24: "keeps an admin in their own district whatever the query names"
// - row 25: "shows another district's section exactly like a section that does not exist"
// - row 26: "answers %s for each visitor as the matrix says"
// - row 27: "takes the roster away at once when an admin is demoted"
// - row 29: "refuses a cross-site "Sync now" and records no run" (the HTML form)
// Added here: row 27 for the JSON API and the other district, row 29 for the JSON API, and row 28 (Prisma's
// `undefined` means "no filter") through Prisma itself and through the real domain functions.
import type supertest from 'supertest';
import type { AdminScope } from '../../src/access/admin-scope';
import { getRosterExport } from '../../src/roster/roster-export';
import { getRosterPage } from '../../src/roster/roster-page';
import { getRosterSummary } from '../../src/roster/roster-summary';
import { getPersonDetail } from '../../src/roster/person-detail';
import { getSectionDetail } from '../../src/roster/section-detail';
import { getMatchReview } from '../../src/matching/match-review-detail';
import { listOpenMatchReviews } from '../../src/matching/open-match-reviews';
import { getSyncHealth } from '../../src/sync/runs/read-sync-health';
import { archiveUnlistedMemberships } from '../../src/records/archive-memberships';
import { approveHeldRun, discardHeldRun, getRun, getRunPlan, listRecentRuns } from '../../src/sync/sync-api';
import { sweepArchives } from '../../src/sync/archive/sweep-archives';
import { startSyncedApp, signedIn } from '../web/helpers';
import type { TestApp } from '../helpers/app';
import { PERSONAS, userIdOf } from './helpers';

describe('tenant isolation', () => {
  let app: TestApp;
  let adminA: supertest.Agent;
  beforeAll(async () => {
    app = await startSyncedApp();
    adminA = await signedIn(app, PERSONAS.districtAdmin);
  });
  afterAll(async () => {
    await app?.close();
  });

  const districtOf = async (cleverId: string) =>
    (await app.db.prisma.district.findUniqueOrThrow({ where: { cleverId } })).id;

  it('row 27: a demoted admin loses the roster JSON at the next request, staying signed in', async () => {
    const agent = await signedIn(app, PERSONAS.secondDistrictAdmin);
    await agent.get('/api/admin/roster').expect(200);
    const id = await userIdOf(app, PERSONAS.secondDistrictAdmin);
    await app.db.prisma.user.update({ where: { id }, data: { roles: ['teacher'] } });
    try {
      await agent.get('/api/admin/roster').expect(403);
      await agent.post('/api/admin/sync').send({}).expect(403);
      await agent.get('/api/me').expect(200);
    } finally {
      await app.db.prisma.user.update({ where: { id }, data: { roles: ['district_admin'] } });
    }
  });

  it('row 29: refuses a cross-site POST /api/admin/sync with 403 and records no run', async () => {
    const before = await app.db.prisma.syncRun.count();
    for (const headers of [
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'null' },
      { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'same-site' },
      { Origin: `${new URL(app.url).protocol}//evil.${new URL(app.url).host}` },
    ]) {
      const res = await adminA.post('/api/admin/sync').set(headers).send({});
      expect(res.status).toBe(403);
    }
    // A GET never starts a sync.
    expect((await adminA.get('/api/admin/sync')).status).toBeGreaterThanOrEqual(400);
    expect(await app.db.prisma.syncRun.count()).toBe(before);
  });

  it('row 28: Prisma refuses a filter whose district is undefined instead of reading or deleting everything', async () => {
    const districtId = undefined as unknown as string;
    const users = await app.db.prisma.user.count();
    await expect(app.db.prisma.user.findMany({ where: { districtId } })).rejects.toThrow();
    await expect(app.db.prisma.section.deleteMany({ where: { districtId } })).rejects.toThrow();
    await expect(
      app.db.prisma.user.updateMany({ where: { districtId }, data: { archivedAt: new Date() } }),
    ).rejects.toThrow();
    expect(await app.db.prisma.user.count()).toBe(users);
    expect(await app.db.prisma.user.count({ where: { archivedAt: { not: null } } })).toBe(0);
  });

  it('row 28: every district-scoped domain function refuses a missing district, returning no rows', async () => {
    const districtA = await districtOf(PERSONAS.districtId);
    const districtB = await districtOf(PERSONAS.secondDistrictId);
    // A held run of B: approving or discarding it would change B's data.
    const runB = await app.db.prisma.syncRun.findFirstOrThrow({ where: { districtId: districtB } });
    await app.db.prisma.syncRun.update({ where: { id: runB.id }, data: { status: 'held' } });
    const userB = await userIdOf(app, PERSONAS.secondDistrictStudent);
    const sectionB = await app.db.prisma.section.findFirstOrThrow({ where: { districtId: districtB } });
    const review = await app.db.prisma.matchReview.create({
      data: {
        districtId: districtB,
        userId: userB,
        emailNormalized: 'b@example.org',
        candidateUserIds: [],
        reason: 'test',
      },
    });
    const none = undefined as unknown as string;
    const noDistrict: AdminScope = { districtId: none, schoolIds: null, isDistrictAdmin: true };
    const staffNoDistrict: AdminScope = { districtId: none, schoolIds: [], isDistrictAdmin: false };
    const prisma = app.db.prisma;
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['getRosterExport', () => getRosterExport(prisma, noDistrict, { includeArchived: true })],
      ['getRosterPage', () => getRosterPage(prisma, noDistrict, { view: 'people' })],
      ['getRosterPage (sections)', () => getRosterPage(prisma, staffNoDistrict, { view: 'sections' })],
      ['getRosterSummary', () => getRosterSummary(prisma, noDistrict)],
      ['getPersonDetail', () => getPersonDetail(prisma, noDistrict, userB)],
      ['getSectionDetail', () => getSectionDetail(prisma, noDistrict, sectionB.id)],
      ['getMatchReview', () => getMatchReview(prisma, none, review.id)],
      ['listOpenMatchReviews', () => listOpenMatchReviews(prisma, none)],
      ['getSyncHealth', () => getSyncHealth(app.services, none)],
      ['listRecentRuns', () => listRecentRuns(app.services, { districtId: none })],
      ['getRun', () => getRun(app.services, { runId: runB.id, districtId: none })],
      ['getRunPlan', () => getRunPlan(app.services, { runId: runB.id, districtId: none })],
      [
        'approveHeldRun',
        () => approveHeldRun(app.services, { runId: runB.id, actorId: userB, districtId: none }),
      ],
      [
        'discardHeldRun',
        () => discardHeldRun(app.services, { runId: runB.id, actorId: userB, districtId: none }),
      ],
      [
        'sweepArchives',
        () => sweepArchives(app.db.sql, { runId: runB.id, districtId: none, source: 'sync' }),
      ],
      [
        'archiveUnlistedMemberships',
        () =>
          archiveUnlistedMemberships(app.db.sql, {
            type: 'section_membership',
            districtId: none,
            owners: { users: [userB] },
            keep: [],
            audit: { source: 'sync' },
          }),
      ],
    ];
    const leaked: string[] = [];
    for (const [name, call] of calls) {
      const outcome = await call().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      if (!('error' in outcome))
        leaked.push(`${name} answered ${JSON.stringify(outcome.value).slice(0, 120)}`);
    }
    expect(leaked).toEqual([]);
    // Nothing was archived or resolved on the way.
    expect(await prisma.section.count({ where: { archivedAt: { not: null } } })).toBe(0);
    expect(await prisma.syncRun.findUniqueOrThrow({ where: { id: runB.id } })).toMatchObject({
      status: 'held',
      resolvedById: null,
    });
    await prisma.syncRun.update({ where: { id: runB.id }, data: { status: 'succeeded' } });
    await prisma.matchReview.delete({ where: { id: review.id } });
    expect(districtA).not.toBe(districtB);
  });
});
