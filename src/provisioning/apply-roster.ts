// Writes a consistent slice of a district's roster — schools, terms, courses, sections, users and their
// memberships — in a fixed number of statements, inside the caller's transaction. Used by login provisioning.
// Memberships follow Clever's lists: a section's members are exactly its `students` and `teachers`, and a
// user's schools are exactly those of their record; anything else of theirs is archived, and restored if it
// comes back.
import { recordAudit, type AuditEntry, type AuditSource } from './audit';
import { upsertRows, type Outcome, type Sql, type UpsertOptions, type UpsertResult } from './bulk-upsert';
import { matchExistingAccounts, recordMatchReviews, type MatchOutcome } from './match-accounts';
import type { CourseRow, SchoolRow, SectionRow, TermRow, UserRow } from './plan/map-clever';
import {
  COURSE_TABLE,
  SCHOOL_MEMBERSHIP_TABLE,
  SCHOOL_TABLE,
  SECTION_MEMBERSHIP_TABLE,
  SECTION_TABLE,
  TERM_TABLE,
  USER_TABLE,
} from './tables';

/** Every row a login reads is locked in key order, changed or not (see UpsertOptions.lockUnchanged). */
const LOGIN: UpsertOptions = { lockUnchanged: true };

export interface RosterSlice {
  schools: SchoolRow[];
  terms: TermRow[];
  courses: CourseRow[];
  sections: SectionRow[];
  users: UserRow[];
}

export type Counts = Record<Outcome | 'archived', number>;

export interface ApplyResult {
  userIds: Map<string, string>;
  sectionIds: Map<string, string>;
  schoolIds: Map<string, string>;
  users: UpsertResult[];
  counts: Record<'schools' | 'terms' | 'courses' | 'sections' | 'users' | 'memberships', Counts>;
  matches: MatchOutcome;
}

const emptyCounts = (): Counts => ({ created: 0, updated: 0, restored: 0, unchanged: 0, archived: 0 });

function tally(results: UpsertResult[]): Counts {
  const counts = emptyCounts();
  for (const r of results) counts[r.outcome]++;
  return counts;
}

const idMap = (results: UpsertResult[]) => new Map(results.map((r) => [r.key, r.id]));

export async function applyRoster(
  sql: Sql,
  context: {
    districtId: string;
    source: AuditSource;
    matchStudentsBySisId: boolean;
    syncRunId?: string | null;
  },
  slice: RosterSlice,
): Promise<ApplyResult> {
  const { districtId } = context;
  const schools = await upsertRows(
    sql,
    SCHOOL_TABLE,
    slice.schools.map((s) => ({ ...s, districtId })),
    LOGIN,
  );
  const terms = await upsertRows(
    sql,
    TERM_TABLE,
    slice.terms.map((t) => ({ ...t, districtId })),
    LOGIN,
  );
  const courses = await upsertRows(
    sql,
    COURSE_TABLE,
    slice.courses.map((c) => ({ ...c, districtId })),
    LOGIN,
  );
  const schoolIds = idMap(schools);
  const termIds = idMap(terms);
  const courseIds = idMap(courses);

  const sections = await upsertRows(
    sql,
    SECTION_TABLE,
    slice.sections.map((s) => ({
      ...s,
      districtId,
      schoolId: schoolIds.get(s.schoolCleverId) ?? null,
      termId: s.termCleverId ? (termIds.get(s.termCleverId) ?? null) : null,
      courseId: s.courseCleverId ? (courseIds.get(s.courseCleverId) ?? null) : null,
    })),
    LOGIN,
  );
  const sectionIds = idMap(sections);

  const matches = await matchExistingAccounts(sql, districtId, slice.users, {
    matchStudentsBySisId: context.matchStudentsBySisId,
  });
  const now = new Date();
  const users = await upsertRows(
    sql,
    USER_TABLE,
    slice.users.map((u) => ({
      ...u,
      districtId,
      primarySchoolId: u.primarySchoolCleverId ? (schoolIds.get(u.primarySchoolCleverId) ?? null) : null,
      matchedBy: 'created',
      matchedAt: now,
    })),
    LOGIN,
  );
  const userIds = idMap(users);

  const memberships = await applyMemberships(sql, slice, { userIds, schoolIds, sectionIds });

  const audit: AuditEntry[] = [];
  const add = (recordType: string, results: UpsertResult[]) => {
    for (const r of results) {
      if (r.outcome === 'created' || r.outcome === 'restored') {
        audit.push({ recordType, recordId: r.id, cleverId: r.key, action: r.outcome });
      }
    }
  };
  add('school', schools);
  add('term', terms);
  add('course', courses);
  add('section', sections);
  add('user', users);
  for (const link of matches.linked) {
    audit.push({
      recordType: 'user',
      recordId: link.userId,
      cleverId: link.cleverId,
      action: 'matched',
      reason: `matched by ${link.by}`,
    });
  }
  for (const id of memberships.archived) {
    audit.push({
      recordType: 'membership',
      recordId: id,
      action: 'archived',
      reason: 'no longer listed by Clever',
    });
  }
  await recordAudit(sql, { districtId, source: context.source, syncRunId: context.syncRunId }, audit);

  await recordMatchReviews(sql, districtId, matches.reviews);

  return {
    userIds,
    sectionIds,
    schoolIds,
    users,
    matches,
    counts: {
      schools: tally(schools),
      terms: tally(terms),
      courses: tally(courses),
      sections: tally(sections),
      users: tally(users),
      memberships: { ...tally(memberships.results), archived: memberships.archived.length },
    },
  };
}

async function applyMemberships(
  sql: Sql,
  slice: RosterSlice,
  ids: { userIds: Map<string, string>; schoolIds: Map<string, string>; sectionIds: Map<string, string> },
): Promise<{ results: UpsertResult[]; archived: string[] }> {
  const schoolRows: Array<Record<string, unknown>> = [];
  for (const user of slice.users) {
    const userId = ids.userIds.get(user.cleverId);
    if (!userId) continue;
    for (const schoolCleverId of user.schoolCleverIds) {
      const schoolId = ids.schoolIds.get(schoolCleverId);
      if (schoolId)
        schoolRows.push({ userId, schoolId, isPrimary: schoolCleverId === user.primarySchoolCleverId });
    }
  }
  const sectionRows: Array<Record<string, unknown>> = [];
  for (const section of slice.sections) {
    const sectionId = ids.sectionIds.get(section.cleverId);
    if (!sectionId) continue;
    section.teacherCleverIds.forEach((cleverId, i) => {
      const userId = ids.userIds.get(cleverId);
      if (userId) sectionRows.push({ sectionId, userId, role: i === 0 ? 'teacher' : 'co_teacher' });
    });
    for (const cleverId of section.studentCleverIds) {
      const userId = ids.userIds.get(cleverId);
      if (userId) sectionRows.push({ sectionId, userId, role: 'student' });
    }
  }
  const results = [
    ...(await upsertRows(sql, SCHOOL_MEMBERSHIP_TABLE, schoolRows, LOGIN)),
    ...(await upsertRows(sql, SECTION_MEMBERSHIP_TABLE, sectionRows, LOGIN)),
  ];

  // A fetched user's schools are exactly those on their record.
  const userList = slice.users
    .map((u) => ids.userIds.get(u.cleverId))
    .filter((id): id is string => Boolean(id));
  const archivedSchools = userList.length
    ? await sql(
        `UPDATE "SchoolMembership" m SET "archivedAt" = now(), "archiveReason" = 'school no longer on the user''s Clever record', "updatedAt" = now()
          WHERE m."userId" = ANY($1::uuid[]) AND m."archivedAt" IS NULL
            AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) AS k(u, s) WHERE k.u = m."userId" AND k.s = m."schoolId")
          RETURNING m.id::text AS id`,
        [userList, schoolRows.map((r) => r.userId), schoolRows.map((r) => r.schoolId)],
      )
    : [];
  // A fetched section's members are exactly its listed students and teachers (listed ids that Clever does not
  // share with the app count as listed: they are not removals).
  const listed: Array<[string, string]> = [];
  for (const section of slice.sections) {
    const sectionId = ids.sectionIds.get(section.cleverId);
    if (!sectionId) continue;
    for (const cleverId of [...section.teacherCleverIds, ...section.studentCleverIds])
      listed.push([sectionId, cleverId]);
  }
  const sectionList = [
    ...new Set(listed.map(([s]) => s)),
    ...slice.sections.map((s) => ids.sectionIds.get(s.cleverId)).filter(Boolean),
  ];
  const archivedSections = sectionList.length
    ? await sql(
        `UPDATE "SectionMembership" m SET "archivedAt" = now(), "archiveReason" = 'no longer listed in the Clever section', "updatedAt" = now()
           FROM "User" u
          WHERE u.id = m."userId" AND m."sectionId" = ANY($1::uuid[]) AND m."archivedAt" IS NULL
            AND u."managedBy" = 'clever'
            AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::text[]) AS k(s, c) WHERE k.s = m."sectionId" AND k.c = u."cleverId")
          RETURNING m.id::text AS id`,
        [[...new Set(sectionList)], listed.map(([s]) => s), listed.map(([, c]) => c)],
      )
    : [];
  return { results, archived: [...archivedSchools, ...archivedSections].map((r) => String(r.id)) };
}
