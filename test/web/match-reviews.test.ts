// The review queue of ambiguous email matches: an admin links the Clever user to the right existing account
// (the Clever id moves, audited; the chosen account keeps its id and history; the made one is archived), or
// keeps them separate.
import type supertest from 'supertest';
import { linkReviewedAccount } from '../../src/matching/link-reviewed-account';
import { signInAs, startTestApp, type TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { csrfOf, PERSONAS, signedIn } from './helpers';
import { syncDistrict } from '../sync/helpers';

describe(`reviewing email matches (${backend})`, () => {
  let app: TestApp;
  let admin: supertest.Agent;
  beforeEach(async () => {
    app = await startTestApp();
    admin = await signedIn(app, PERSONAS.districtAdmin);
  });
  afterEach(async () => {
    await app?.close();
  });

  /** Two pre-existing accounts share the teacher's email, so the teacher's first login asks for a review. */
  async function ambiguousTeacher() {
    const email = String(app.sandbox.store.getUser(PERSONAS.teacher)!.email);
    const make = (first: string) =>
      app.db.prisma.user.create({
        data: {
          managedBy: 'local',
          roles: ['teacher'],
          firstName: first,
          lastName: 'Before',
          email,
          emailNormalized: email.toLowerCase(),
        },
      });
    const [chosen, other] = [await make('Chosen'), await make('Other')];
    await app.db.prisma.progress.create({ data: { userId: chosen.id, activity: 'history before Clever' } });
    const teacher = app.agent();
    await signInAs(app, teacher, PERSONAS.teacher);
    const made = (await teacher.get('/api/me').expect(200)).body;
    await teacher.post('/api/progress').send({ activity: 'lesson after Clever' }).expect(201);
    const review = await app.db.prisma.matchReview.findUniqueOrThrow({ where: { userId: made.id } });
    return { chosen, other, made, review, teacher };
  }

  it('links the Clever user to the chosen account, keeping its id and all history, and archives the made one', async () => {
    const { chosen, made, review, teacher } = await ambiguousTeacher();
    await admin
      .get('/admin/sync')
      .expect(200)
      .expect((res) => expect(res.text).toContain(`/admin/reviews/${review.id}`));
    const page = await admin.get(`/admin/reviews/${review.id}`).expect(200);
    expect(page.text).toContain('Link to Chosen Before');
    const res = await admin
      .post(`/admin/reviews/${review.id}/link`)
      .type('form')
      .send({ _csrf: await csrfOf(admin, '/admin/sync'), candidate: chosen.id })
      .expect(303);
    expect(res.headers.location).toBe(`/admin/people/${chosen.id}`);

    const linked = await app.db.prisma.user.findUniqueOrThrow({ where: { id: chosen.id } });
    expect(linked).toMatchObject({
      cleverId: PERSONAS.teacher,
      managedBy: 'clever',
      matchedBy: 'email',
      firstName: 'Maria',
    });
    const archived = await app.db.prisma.user.findUniqueOrThrow({ where: { id: made.id } });
    expect(archived.cleverId).toBeNull();
    expect(archived.archivedAt).not.toBeNull();
    expect(archived.archiveReason).toContain(chosen.id);
    expect(await app.db.prisma.sectionMembership.count({ where: { userId: chosen.id } })).toBeGreaterThan(0);
    expect(await app.db.prisma.sectionMembership.count({ where: { userId: made.id } })).toBe(0);
    const audit = await app.db.prisma.auditEvent.findMany({
      where: { source: 'admin', recordId: { in: [chosen.id, made.id] } },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(['archived', 'linked']);
    expect(audit.every((a) => a.actorId !== null)).toBe(true);
    expect((await app.db.prisma.matchReview.findUniqueOrThrow({ where: { id: review.id } })).status).toBe(
      'linked',
    );

    // The made account's session ended; signing in again lands on the chosen account with both histories.
    await teacher.get('/api/me').expect(401);
    const again = app.agent();
    await signInAs(app, again, PERSONAS.teacher);
    expect((await again.get('/api/me').expect(200)).body.id).toBe(chosen.id);
    const history = (await again.get('/api/me/progress').expect(200)).body.items.map(
      (i: { activity: string }) => i.activity,
    );
    expect(history.sort()).toEqual(['history before Clever', 'lesson after Clever']);
  });

  it('keeps accounts separate when the admin says so, moving nothing', async () => {
    const { chosen, made, review } = await ambiguousTeacher();
    await admin
      .post(`/admin/reviews/${review.id}/keep-separate`)
      .type('form')
      .send({ _csrf: await csrfOf(admin, '/admin/sync') })
      .expect(303);
    expect((await app.db.prisma.matchReview.findUniqueOrThrow({ where: { id: review.id } })).status).toBe(
      'kept_separate',
    );
    expect((await app.db.prisma.user.findUniqueOrThrow({ where: { id: chosen.id } })).cleverId).toBeNull();
    expect((await app.db.prisma.user.findUniqueOrThrow({ where: { id: made.id } })).archivedAt).toBeNull();
    const page = await admin.get(`/admin/reviews/${review.id}`).expect(200);
    expect(page.text).not.toContain('Link to Chosen Before');
  });

  it('refuses to link an account that is not one of the candidates, or to resolve a review twice', async () => {
    const { chosen, review } = await ambiguousTeacher();
    const stranger = await app.db.prisma.user.create({ data: { managedBy: 'local', roles: ['teacher'] } });
    const districtId = review.districtId;
    const actorId = (
      await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtAdmin } })
    ).id;
    await expect(
      linkReviewedAccount(app.db, { reviewId: review.id, candidateId: stranger.id, actorId, districtId }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await linkReviewedAccount(app.db, { reviewId: review.id, candidateId: chosen.id, actorId, districtId });
    await expect(
      linkReviewedAccount(app.db, { reviewId: review.id, candidateId: chosen.id, actorId, districtId }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a full sync after the link keeps the teacher’s sections on the chosen account', async () => {
    const { chosen, made, review } = await ambiguousTeacher();
    // Synced before the link, so the sync knows the teacher's sections as they were (their digests).
    expect((await syncDistrict(app)).status).toBe('succeeded');
    const sectionIds = (
      await app.db.prisma.sectionMembership.findMany({ where: { userId: made.id, archivedAt: null } })
    ).map((m) => m.sectionId);
    expect(sectionIds.length).toBeGreaterThan(0);
    // The chosen account once taught one of them: its old membership is archived here.
    await app.db.prisma.sectionMembership.create({
      data: {
        sectionId: sectionIds[0],
        userId: chosen.id,
        role: 'teacher',
        archivedAt: new Date(),
        archiveReason: 'before Clever',
      },
    });
    const admin = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtAdmin } });
    const districtId = review.districtId;
    await linkReviewedAccount(app.db, {
      reviewId: review.id,
      candidateId: chosen.id,
      actorId: admin.id,
      districtId,
    });

    expect((await syncDistrict(app)).status).toBe('succeeded');
    const active = await app.db.prisma.sectionMembership.findMany({
      where: { userId: chosen.id, archivedAt: null },
    });
    expect(active.map((m) => m.sectionId).sort()).toEqual([...sectionIds].sort());
    const again = await syncDistrict(app);
    expect(again.counts.total.created + again.counts.total.updated + again.counts.total.archived).toBe(0);
  });

  it("hides another district's review from an admin of B", async () => {
    const { review, chosen } = await ambiguousTeacher();
    const adminB = await signedIn(app, PERSONAS.secondDistrictAdmin);
    await adminB.get(`/admin/reviews/${review.id}`).set('Accept', 'text/html').expect(404);
    await adminB
      .post(`/admin/reviews/${review.id}/link`)
      .type('form')
      .send({ _csrf: await csrfOf(adminB, '/admin/sync'), candidate: chosen.id })
      .expect(404);
    expect((await app.db.prisma.matchReview.findUniqueOrThrow({ where: { id: review.id } })).status).toBe(
      'open',
    );
  });
});
