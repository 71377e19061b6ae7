// Writes the slice of a district's roster that a login fetched — schools, terms, courses, sections, users and
// their memberships — in a fixed number of statements, inside the caller's transaction.
// A login writes only what it fetched in full (docs/decisions/0004-login-writes-what-it-fetched.md):
// - a fetched section's members are exactly its `students` and `teachers` (others are archived);
// - the signer's schools are exactly those of their record (others are archived);
// - everyone else gets their fields and the memberships their record lists, but nothing of theirs is archived:
//   a login never sees all of another person's memberships, so only the full sync takes them away.
// Schools, terms and courses a record names but the login did not fetch (another school's, or one Clever
// stopped sharing) are looked up by Clever id, as the full sync does: a link is never dropped for want of it.
import { adoptLocalSchools } from '../records/adopt-schools';
import { recordAudit, type AuditEntry, type AuditSource } from '../db/audit';
import { upsertRows, type Outcome, type UpsertOptions, type UpsertResult } from '../db/upsert-rows';
import type { Sql } from '../db/sql';
import { matchExistingAccounts, recordMatchReviews, type MatchOutcome } from '../matching/match-accounts';
import type { CourseRow, SchoolRow, SectionRow, TermRow, UserRow } from '../records/map-clever';
import {
  COURSE_TABLE,
  SCHOOL_MEMBERSHIP_TABLE,
  SCHOOL_TABLE,
  SECTION_MEMBERSHIP_TABLE,
  SECTION_TABLE,
  TERM_TABLE,
  USER_TABLE,
} from '../db/tables';
import type { AuditRecordType } from '../db/record-types';
import { archiveUnlistedMemberships, type UnlistedMemberships } from '../records/archive-memberships';

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
    /** The signed-in user: the only person whose memberships this slice lists completely. */
    signerCleverId: string;
    syncRunId?: string | null;
  },
  slice: RosterSlice,
): Promise<ApplyResult> {
  const { districtId } = context;
  await adoptLocalSchools(sql, { districtId, runId: null, source: 'login' }, slice.schools);
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
  const known = await knownIds(sql, districtId, {
    School: [
      ...slice.sections.map((s) => s.schoolCleverId),
      ...slice.users.flatMap((u) => [u.primarySchoolCleverId, ...u.schoolCleverIds]),
    ],
    Term: slice.sections.map((s) => s.termCleverId),
    Course: slice.sections.map((s) => s.courseCleverId),
  });
  const schoolIds = new Map([...known.School, ...idMap(schools)]);
  const termIds = new Map([...known.Term, ...idMap(terms)]);
  const courseIds = new Map([...known.Course, ...idMap(courses)]);

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

  const signerId = userIds.get(context.signerCleverId);
  const memberships = await applyMemberships(sql, slice, {
    userIds,
    schoolIds,
    sectionIds,
    signerId,
    districtId,
    audit: { source: context.source, syncRunId: context.syncRunId },
  });

  const audit: AuditEntry[] = [];
  const add = (recordType: AuditRecordType, results: UpsertResult[]) => {
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
  ids: {
    userIds: Map<string, string>;
    schoolIds: Map<string, string>;
    sectionIds: Map<string, string>;
    signerId: string | undefined;
    districtId: string;
    audit: UnlistedMemberships['audit'];
  },
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

  // The signer's schools are exactly those on their record; other people's are left to the full sync.
  const signer = slice.users.find((u) => ids.userIds.get(u.cleverId) === ids.signerId);
  const archivedSchools = signer
    ? await archiveUnlistedMemberships(sql, {
        type: 'school_membership',
        districtId: ids.districtId,
        owners: { users: [signer.cleverId] },
        keep: signer.schoolCleverIds.map((school) => `${signer.cleverId}|${school}`),
        audit: ids.audit,
      })
    : [];
  // A fetched section's members are exactly its listed students and teachers (listed ids that Clever does not
  // share with the app count as listed: they are not removals).
  const archivedSections = await archiveUnlistedMemberships(sql, {
    type: 'section_membership',
    districtId: ids.districtId,
    owners: { sections: slice.sections.map((s) => s.cleverId) },
    keep: slice.sections.flatMap((s) =>
      [...s.teacherCleverIds, ...s.studentCleverIds].map((user) => `${s.cleverId}|${user}`),
    ),
    audit: ids.audit,
  });
  return { results, archived: [...archivedSchools, ...archivedSections] };
}

/**
 * Ids of schools, terms and courses of this district by Clever id — archived ones too, as the full sync's
 * lookups do — in one statement.
 */
async function knownIds(
  sql: Sql,
  districtId: string,
  wanted: Record<'School' | 'Term' | 'Course', Array<string | null | undefined>>,
): Promise<Record<'School' | 'Term' | 'Course', Map<string, string>>> {
  const ids = (list: Array<string | null | undefined>) => [
    ...new Set(list.filter((id): id is string => Boolean(id))),
  ];
  const rows = await sql(
    `SELECT 'School' AS t, id::text AS id, "cleverId" FROM "School" WHERE "districtId" = $1::uuid AND "cleverId" = ANY($2::text[])
     UNION ALL SELECT 'Term', id::text, "cleverId" FROM "Term" WHERE "districtId" = $1::uuid AND "cleverId" = ANY($3::text[])
     UNION ALL SELECT 'Course', id::text, "cleverId" FROM "Course" WHERE "districtId" = $1::uuid AND "cleverId" = ANY($4::text[])`,
    [districtId, ids(wanted.School), ids(wanted.Term), ids(wanted.Course)],
  );
  const out = {
    School: new Map<string, string>(),
    Term: new Map<string, string>(),
    Course: new Map<string, string>(),
  };
  for (const r of rows) out[r.t as keyof typeof out].set(String(r.cleverId), String(r.id));
  return out;
}
