// The contenders B3 measures our sync against, run in the sync's own child process (sync-child.ts) with the
// same Clever client, page size and validation:
//  - `fetch`: every collection read page by page, nothing written (the floor any sync pays for Clever);
//  - `naive`: the usual find-or-create, one `INSERT … ON CONFLICT DO UPDATE … RETURNING id` per record and per
//    membership (member ids looked up one by one), a transaction per page — no staging, no archive plan.
import {
  CleverCourseSchema,
  CleverSchoolSchema,
  CleverSectionSchema,
  CleverTermSchema,
  CleverUserSchema,
  withDistrictToken,
  type CleverSection,
  type CleverUser,
} from '../src/clever/clever-clients';
import type { Database } from '../src/db/database';
import { mapCourse, mapDistrict, mapSchool, mapSection, mapTerm, mapUser } from '../src/records/map-clever';
import { sqlOnPool, type Sql } from '../src/db/sql';
import type { TableSpec } from '../src/db/upsert-rows';
import {
  COURSE_TABLE,
  DISTRICT_TABLE,
  SCHOOL_MEMBERSHIP_TABLE,
  SCHOOL_TABLE,
  SECTION_MEMBERSHIP_TABLE,
  SECTION_TABLE,
  TERM_TABLE,
  USER_TABLE,
} from '../src/db/tables';
import type { SyncContext } from '../src/sync/sync-context';

export type BaselineMode = 'fetch' | 'naive';

const COLLECTIONS = [
  { path: '/schools', schema: CleverSchoolSchema },
  { path: '/terms', schema: CleverTermSchema },
  { path: '/courses', schema: CleverCourseSchema },
  { path: '/users', schema: CleverUserSchema },
  { path: '/sections', schema: CleverSectionSchema },
] as const;

const CASTS: Record<string, string> = { roles: '"Role"[]', bool: 'boolean', float8: 'float8' };
const castOf = (type: string) => (type.startsWith('enum:') ? `"${type.slice(5)}"` : (CASTS[type] ?? type));

/**
 * `INSERT … VALUES (one row) ON CONFLICT (key) DO UPDATE … RETURNING id` for a table of tables.ts; the
 * columns in `lookups` take the id of the row of that table with the given Clever id (a subquery), and a
 * membership without its parent row is not written — one statement per record or membership.
 */
function upsertOne(spec: TableSpec, lookups: Record<string, string> = {}) {
  const names = Object.keys(spec.columns);
  const updatable = names.filter((n) => !spec.key.includes(n) && !(spec.insertOnly ?? []).includes(n));
  const value = (n: string, i: number) =>
    lookups[n]
      ? `(SELECT id FROM "${lookups[n]}" WHERE "cleverId" = $${i + 1}::text)`
      : `$${i + 1}::${castOf(spec.columns[n])}`;
  const text = `INSERT INTO "${spec.table}" (${names.map((n) => `"${n}"`).join(', ')}, "lastSeenAt")
    SELECT * FROM (VALUES (${names.map(value).join(', ')}, now())) AS v
     WHERE ${spec.key.map((k) => `v.column${names.indexOf(k) + 1} IS NOT NULL`).join(' AND ') || 'true'}
    ON CONFLICT (${spec.key.map((k) => `"${k}"`).join(', ')}) DO UPDATE SET
      ${[...updatable.map((n) => `"${n}" = EXCLUDED."${n}"`), '"lastSeenAt" = now()', '"updatedAt" = now()'].join(', ')}
    RETURNING id::text AS id`;
  return async (sql: Sql, row: Record<string, unknown>): Promise<string | null> => {
    const params = names.map((n) => {
      const v = row[n];
      return v instanceof Date ? v.toISOString() : (v ?? null);
    });
    const [r] = await sql(text, params);
    return r ? String(r.id) : null;
  };
}

const upsert = {
  district: upsertOne(DISTRICT_TABLE),
  school: upsertOne(SCHOOL_TABLE),
  term: upsertOne(TERM_TABLE),
  course: upsertOne(COURSE_TABLE),
  user: upsertOne(USER_TABLE, { primarySchoolId: 'School' }),
  section: upsertOne(SECTION_TABLE, { schoolId: 'School', termId: 'Term', courseId: 'Course' }),
  schoolMembership: upsertOne(SCHOOL_MEMBERSHIP_TABLE, { schoolId: 'School' }),
  sectionMembership: upsertOne(SECTION_MEMBERSHIP_TABLE, { userId: 'User' }),
};

async function writeNaive(sql: Sql, districtId: string | null, path: string, page: unknown[]): Promise<void> {
  for (const record of page) {
    if (path === '/schools') await upsert.school(sql, { ...mapSchool(record as never), districtId });
    else if (path === '/terms') await upsert.term(sql, { ...mapTerm(record as never), districtId });
    else if (path === '/courses') await upsert.course(sql, { ...mapCourse(record as never), districtId });
    else if (path === '/users') {
      const u = mapUser(record as CleverUser);
      const userId = await upsert.user(sql, {
        ...u,
        districtId,
        primarySchoolId: u.primarySchoolCleverId,
        matchedBy: 'created',
        matchedAt: new Date(),
      });
      for (const schoolId of new Set(u.schoolCleverIds)) {
        const isPrimary = schoolId === u.primarySchoolCleverId;
        await upsert.schoolMembership(sql, { userId, schoolId, isPrimary });
      }
    } else {
      const s = mapSection(record as CleverSection);
      const sectionId = await upsert.section(sql, {
        ...s,
        districtId,
        schoolId: s.schoolCleverId,
        termId: s.termCleverId,
        courseId: s.courseCleverId,
      });
      const members = [
        ...s.teacherCleverIds.map((id, i) => [id, i === 0 ? 'teacher' : 'co_teacher'] as const),
        ...s.studentCleverIds
          .filter((id) => !s.teacherCleverIds.includes(id))
          .map((id) => [id, 'student'] as const),
      ];
      for (const [userId, role] of members) await upsert.sectionMembership(sql, { sectionId, userId, role });
    }
  }
}

/** Runs one baseline for the district; returns the number of records read. */
export async function runBaseline(
  ctx: SyncContext,
  db: Database,
  mode: BaselineMode,
  cleverDistrictId: string,
): Promise<number> {
  return withDistrictToken(ctx.clever.tokens, cleverDistrictId, async (token) => {
    const client = ctx.clever.dataClient(token, { pageSize: ctx.settings.pageSize });
    const district = mapDistrict(await client.getDistrict(cleverDistrictId));
    const conn = await db.pool.connect();
    try {
      const sql = sqlOnPool(conn);
      const districtId =
        mode === 'naive' ? await upsert.district(sql, { ...district, connection: 'connected' }) : '';
      let records = 0;
      for (const { path, schema } of COLLECTIONS) {
        for await (const page of client.pages(path, {}, schema as never)) {
          records += (page as unknown[]).length;
          if (mode === 'fetch') continue;
          await sql('BEGIN');
          try {
            await writeNaive(sql, districtId, path, page as unknown[]);
            await sql('COMMIT');
          } catch (err) {
            await sql('ROLLBACK');
            throw err;
          }
        }
      }
      return records;
    } finally {
      conn.release();
    }
  });
}
