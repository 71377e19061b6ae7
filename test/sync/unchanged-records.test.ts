// A full sync with nothing changed upstream recognises each unchanged user and section by the digest it kept
// (src/db/sync-digest.ts) and writes nothing; a row written by anyone since, or a membership archived here,
// is still brought back in step with Clever; and a new user among known ones is still matched to a pre-existing account.
import { importUsers } from '../../src/matching/import-accounts';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { PERSONAS, rosterSnapshot, startSyncTestApp, syncDistrict } from './helpers';

describe(`unchanged records in a full sync on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
    expect((await syncDistrict(app)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await app.close();
  });

  it('writes nothing and counts every user, section and membership as unchanged', async () => {
    const before = await rosterSnapshot(app);
    const again = await syncDistrict(app);
    expect(again.status).toBe('succeeded');
    expect(await rosterSnapshot(app)).toEqual(before);
    const users = await app.db.prisma.user.count({ where: { cleverId: { not: null }, managedBy: 'clever' } });
    expect(again.counts.user.unchanged).toBe(users);
    expect(again.counts.section.unchanged).toBe(await app.db.prisma.section.count());
    expect(again.counts.section_membership.unchanged).toBe(await app.db.prisma.sectionMembership.count());
    expect(again.counts.total.created + again.counts.total.updated + again.counts.total.archived).toBe(0);
  });

  it('writes nothing for a user whose record changed only in a field this app does not keep', async () => {
    const user = app.sandbox.store.getUser(PERSONAS.studentTwoSchools) as unknown as Record<string, unknown>;
    const before = await rosterSnapshot(app);
    user.last_modified = '2031-01-01T00:00:00.000Z';
    const run = await syncDistrict(app);
    expect(run.status).toBe('succeeded');
    expect(run.counts.user.updated).toBe(0);
    expect(await rosterSnapshot(app)).toEqual(before);
    const users = await app.db.prisma.user.count({ where: { cleverId: { not: null }, managedBy: 'clever' } });
    expect(run.counts.user.unchanged).toBe(users);
  });

  it('compares every user once after an upgrade (digests kept without their record’s source) and writes nothing', async () => {
    await app.db.pool.query(`UPDATE "SyncDigest" SET source = NULL, memberships = NULL`);
    const before = await rosterSnapshot(app);
    const users = await app.db.prisma.user.count({ where: { cleverId: { not: null }, managedBy: 'clever' } });
    for (let run = 0; run < 2; run++) {
      const result = await syncDistrict(app);
      expect(result.counts.user).toMatchObject({ unchanged: users, updated: 0, created: 0 });
      expect(result.counts.school_membership).toMatchObject({ created: 0, restored: 0, archived: 0 });
      expect(await rosterSnapshot(app)).toEqual(before);
    }
  });

  it('puts back Clever’s values on a user row written here since the last sync', async () => {
    const cleverId = PERSONAS.studentApostrophe;
    const { firstName } = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId } });
    await app.db.prisma.user.update({ where: { cleverId }, data: { firstName: 'Edited' } });
    const run = await syncDistrict(app);
    expect(run.counts.user.updated).toBe(1);
    expect((await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId } })).firstName).toBe(firstName);
  });

  it('restores a section membership archived here while the section’s Clever record stayed the same', async () => {
    const section = await app.db.prisma.section.findUniqueOrThrow({
      where: { cleverId: PERSONAS.coTaughtSection },
    });
    const membership = await app.db.prisma.sectionMembership.findFirstOrThrow({
      where: { sectionId: section.id, archivedAt: null },
    });
    await app.db.pool.query(
      `UPDATE "SectionMembership" SET "archivedAt" = now(), "archiveReason" = 'by hand' WHERE id = $1`,
      [membership.id],
    );
    const run = await syncDistrict(app);
    expect(run.counts.section_membership.restored).toBe(1);
    const after = await app.db.prisma.sectionMembership.findUniqueOrThrow({ where: { id: membership.id } });
    expect(after.archivedAt).toBeNull();
  });

  it('archives memberships added here to a user and a section whose Clever records stayed the same', async () => {
    // As a login that read a newer version of the records would have written them (the records then went back):
    // the memberships no longer match the count kept with each digest, so both records are compared in full.
    const section = await app.db.prisma.section.findUniqueOrThrow({
      where: { cleverId: PERSONAS.coTaughtSection },
    });
    const student = await app.db.prisma.user.findFirstOrThrow({
      where: {
        cleverId: { not: null },
        roles: { has: 'student' },
        archivedAt: null,
        sectionMemberships: { none: { sectionId: section.id } },
        schoolMemberships: { some: { archivedAt: null } },
      },
      include: { schoolMemberships: true },
    });
    const otherSchool = await app.db.prisma.school.findFirstOrThrow({
      where: { id: { notIn: student.schoolMemberships.map((m) => m.schoolId) }, cleverId: { not: null } },
    });
    const added = [
      await app.db.prisma.sectionMembership.create({
        data: { sectionId: section.id, userId: student.id, role: 'student' },
      }),
      await app.db.prisma.schoolMembership.create({ data: { userId: student.id, schoolId: otherSchool.id } }),
    ];
    const run = await syncDistrict(app);
    expect(run.status).toBe('succeeded');
    expect(run.counts.section_membership.archived).toBe(1);
    expect(run.counts.school_membership.archived).toBe(1);
    const [sectionMembership, schoolMembership] = added;
    expect(
      (await app.db.prisma.sectionMembership.findUniqueOrThrow({ where: { id: sectionMembership.id } }))
        .archivedAt,
    ).not.toBeNull();
    expect(
      (await app.db.prisma.schoolMembership.findUniqueOrThrow({ where: { id: schoolMembership.id } }))
        .archivedAt,
    ).not.toBeNull();
  });

  it('still matches a new Clever user to a pre-existing account when the rest of the district is known', async () => {
    const store = app.sandbox.store;
    const email = 'late.arrival@example.org';
    const [imported] = await importUsers(app.db.prisma, [
      {
        line: 2,
        fields: {
          email,
          first_name: 'Late',
          last_name: 'Arrival',
          role: 'teacher',
          district_id: PERSONAS.districtId,
        },
      },
    ]);
    const account = { id: imported.accountId! };
    const school = store.listSchools(PERSONAS.districtId)[0]!.id;
    const { user } = store.createUser({
      district: PERSONAS.districtId,
      role: 'teacher',
      name: { first: 'Late', last: 'Arrival' },
      email,
      school,
    });
    // A user the district knows, changed, on the newcomer's page (the last: the newest Clever id).
    const listed = store.listUsers({ district: PERSONAS.districtId });
    store.rename('user', listed[listed.length - 2]!.id, 'Renamed');
    const run = await syncDistrict(app);
    expect(run.status).toBe('succeeded');
    expect(run.counts.user.created).toBe(0); // linked, not a second account
    const linked = await app.db.prisma.user.findUniqueOrThrow({ where: { id: account.id } });
    expect(linked).toMatchObject({ cleverId: user.id, managedBy: 'clever', matchedBy: 'email' });
    expect(await app.db.prisma.user.count({ where: { emailNormalized: email } })).toBe(1);
  });

  it('writes every changed user when each page has only a few, the last page’s too', async () => {
    const store = app.sandbox.store;
    // Pages of 20 (startSyncTestApp): changed users are carried from page to page and written 20 at a time,
    // so one a page are all written after the last page (src/sync/write/write-users.ts).
    const listed = store.listUsers({ district: PERSONAS.districtId });
    const picked = [0, 21, 45, listed.length - 1].map((i) => listed[i]!.id);
    expect(new Set(picked.map((id) => Math.floor(listed.findIndex((u) => u.id === id) / 20))).size).toBe(4);
    const memberships = await app.db.prisma.sectionMembership.count({ where: { archivedAt: null } });
    picked.forEach((id, i) => store.rename('user', id, `Carried${i}`));
    const run = await syncDistrict(app);
    expect(run.status).toBe('succeeded');
    expect(run.counts.user).toMatchObject({ updated: picked.length, created: 0, archived: 0, errors: 0 });
    expect(run.counts.user.unchanged).toBe(listed.length - picked.length);
    for (const [i, cleverId] of picked.entries()) {
      const row = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId } });
      expect(`${row.firstName} ${row.lastName}`).toContain(`Carried${i}`);
    }
    expect(run.counts.section_membership.archived).toBe(0);
    expect(await app.db.prisma.sectionMembership.count({ where: { archivedAt: null } })).toBe(memberships);
    // The next sync finds them in step.
    expect((await syncDistrict(app)).counts.user).toMatchObject({ updated: 0, unchanged: listed.length });
  });
});

describe(`a user whose record stays the same while a school it names is shared later, on ${backend}`, () => {
  let app: TestApp;
  afterAll(async () => {
    await app?.close();
  });

  it('gets the membership in that school at the next full sync', async () => {
    app = await startSyncTestApp();
    const store = app.sandbox.store;
    const student = store.getUser(PERSONAS.studentTwoSchools)!;
    const primary = student.roles.student?.school;
    const other = (student.roles.student?.schools ?? []).find((id) => id !== primary)!;
    expect(other).toBeTruthy();
    store.unshare('school', other);
    expect((await syncDistrict(app)).status).toBe('succeeded');
    expect((await syncDistrict(app)).counts.user.created).toBe(0); // known: the student's record unchanged
    const memberships = () =>
      app.db.prisma.schoolMembership.findMany({
        where: { user: { cleverId: PERSONAS.studentTwoSchools }, archivedAt: null },
        select: { school: { select: { cleverId: true } } },
      });
    expect((await memberships()).map((m) => m.school.cleverId)).toEqual([primary]);

    store.reshare('school', other);
    expect((await syncDistrict(app)).status).toBe('succeeded');
    expect((await memberships()).map((m) => m.school.cleverId).sort()).toEqual([primary, other].sort());
  });
});
