// A login sees a slice of the district: the signer, their sections and the people in them. It writes only what
// it fetched in full and never takes anything away from people it only half saw (docs/decisions/0004).
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, type TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { setThreshold, startSyncTestApp, syncDistrict } from '../sync/helpers';

/** Everything a login could wrongly take away from someone: their school links and a section's links. */
async function rosterLinks(app: TestApp) {
  const q = async (text: string) =>
    (await app.db.pool.query(text)).rows.map((r) => Object.values(r).join('|'));
  return {
    schoolMemberships: await q(
      `SELECT u."cleverId", s."cleverId", m."isPrimary", m."archivedAt" IS NULL FROM "SchoolMembership" m
         JOIN "User" u ON u.id = m."userId" JOIN "School" s ON s.id = m."schoolId" ORDER BY 1, 2`,
    ),
    primarySchools: await q(
      `SELECT u."cleverId", s."cleverId" FROM "User" u LEFT JOIN "School" s ON s.id = u."primarySchoolId" ORDER BY 1`,
    ),
    sectionMemberships: await q(
      `SELECT se."cleverId", u."cleverId", m.role, m."archivedAt" IS NULL FROM "SectionMembership" m
         JOIN "User" u ON u.id = m."userId" JOIN "Section" se ON se.id = m."sectionId" ORDER BY 1, 2`,
    ),
    sectionLinks: await q(
      `SELECT "cleverId", "schoolId", "termId", "courseId", "archivedAt" IS NULL FROM "Section" ORDER BY 1`,
    ),
  };
}

describe(`a login writes only what it fetched in full (${backend})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
    expect((await syncDistrict(app)).status).toBe('succeeded');
    await setThreshold(app, 1);
  });
  afterAll(async () => {
    await app?.close();
  });

  const signIn = async (cleverId: string) => {
    const agent = app.agent();
    expect((await signInAs(app, agent, cleverId)).status).toBe(303);
    expect((await agent.get('/api/me').expect(200)).body.cleverId).toBe(cleverId);
  };
  /** Teachers of the sections a student is in (they see the student only as a member of their section). */
  const teachersOf = (studentId: string) => {
    const store = app.sandbox.store;
    return [
      ...new Set(
        store
          .listSections(PERSONAS.districtId)
          .filter((s) => s.students.includes(studentId))
          .flatMap((s) => s.teachers ?? [s.teacher]),
      ),
    ];
  };

  it('leaves everyone else as the full sync wrote them when nothing changed upstream', async () => {
    const before = await rosterLinks(app);
    // A student in two schools is seen by teachers of one school; co-teachers are seen by their students.
    const signers = [
      ...teachersOf(PERSONAS.studentTwoSchools),
      PERSONAS.studentTwoSchools,
      PERSONAS.teacher,
      PERSONAS.coTeacher,
      PERSONAS.student,
      ...app.sandbox.store.getSection(PERSONAS.coTaughtSection)!.students.slice(0, 2),
      PERSONAS.staff,
      PERSONAS.multiRoleTeacherStaffAdmin,
    ];
    expect(teachersOf(PERSONAS.studentTwoSchools).length).toBeGreaterThan(0);
    for (const cleverId of signers) {
      await signIn(cleverId);
      const after = await rosterLinks(app);
      expect({ signer: cleverId, ...after }).toEqual({ signer: cleverId, ...before });
    }
  });

  it('keeps a section linked to a term Clever stopped sharing, as the full sync does', async () => {
    const termId = PERSONAS.duplicateTermIds[1]!;
    const section = app.sandbox.store.listSections(PERSONAS.districtId).find((s) => s.term_id === termId)!;
    const before = await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: section.id } });
    expect(before.termId).not.toBeNull();
    app.sandbox.store.unshare('term', termId);
    try {
      await signIn(section.teacher!);
      const after = await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: section.id } });
      expect(after).toMatchObject({
        termId: before.termId,
        courseId: before.courseId,
        schoolId: before.schoolId,
      });
    } finally {
      app.sandbox.store.reshare('term', termId);
    }
  });
});
