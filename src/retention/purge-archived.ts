// Data retention (docs/retention.md): deletes roster records archived longer ago than the retention period —
// never sooner than Clever's 300-day window, in which an archived record may still come back and must then be
// restored as the same row. Progress and AuditEvent rows are never deleted, and a record is deleted only when
// no kept row refers to it (a user with progress, a section a group was made from, a school a section is in).
// RETENTION_DAYS unset: everything is kept.
import type { Database } from '../db/database';
import { recordAudit } from '../db/audit';
import type { SyncRecordType } from '../db/record-types';
import type { Sql } from '../db/sql';
import { inTransaction } from '../db/transaction';

/** Clever may reshare a record up to 300 days after it left (an unshare, a rollover): keep it that long. */
export const MIN_RETENTION_DAYS = 300;

export type PurgedType = SyncRecordType;

export interface PurgeResult {
  /** Records archived before this moment were eligible; null when the policy is to keep everything. */
  cutoff: Date | null;
  purged: Record<PurgedType, number>;
}

// In dependency order: memberships first, then what they pointed to. `$1` is the cutoff.
const STEPS: Array<{ type: PurgedType; table: string; unreferenced: string }> = [
  { type: 'section_membership', table: 'SectionMembership', unreferenced: 'true' },
  { type: 'school_membership', table: 'SchoolMembership', unreferenced: 'true' },
  {
    type: 'section',
    table: 'Section',
    unreferenced: `NOT EXISTS (SELECT 1 FROM "SectionMembership" m WHERE m."sectionId" = t.id)
               AND NOT EXISTS (SELECT 1 FROM "Group" g WHERE g."sectionId" = t.id)`,
  },
  {
    type: 'term',
    table: 'Term',
    unreferenced: `NOT EXISTS (SELECT 1 FROM "Section" s WHERE s."termId" = t.id)`,
  },
  {
    type: 'course',
    table: 'Course',
    unreferenced: `NOT EXISTS (SELECT 1 FROM "Section" s WHERE s."courseId" = t.id)`,
  },
  {
    type: 'user',
    table: 'User',
    unreferenced: `NOT EXISTS (SELECT 1 FROM "Progress" p WHERE p."userId" = t.id)
               AND NOT EXISTS (SELECT 1 FROM "SectionMembership" m WHERE m."userId" = t.id)
               AND NOT EXISTS (SELECT 1 FROM "SchoolMembership" m WHERE m."userId" = t.id)
               AND NOT EXISTS (SELECT 1 FROM "Group" g WHERE g."ownerId" = t.id)
               AND NOT EXISTS (SELECT 1 FROM "GroupMember" g WHERE g."userId" = t.id)
               AND NOT EXISTS (SELECT 1 FROM "MatchReview" r
                                WHERE r."userId" = t.id OR t.id::text = ANY (r."candidateUserIds"))`,
  },
  {
    type: 'school',
    table: 'School',
    unreferenced: `NOT EXISTS (SELECT 1 FROM "Section" s WHERE s."schoolId" = t.id)
               AND NOT EXISTS (SELECT 1 FROM "SchoolMembership" m WHERE m."schoolId" = t.id)
               AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u."primarySchoolId" = t.id)`,
  },
];

/** The moment before which archived records may go, or null (keep forever). */
export function retentionCutoff(retentionDays: number | null, now = new Date()): Date | null {
  if (retentionDays === null) return null;
  const days = Math.max(retentionDays, MIN_RETENTION_DAYS);
  return new Date(now.getTime() - days * 86_400_000);
}

export async function purgeArchived(
  db: Database,
  props: { retentionDays: number | null; now?: Date },
): Promise<PurgeResult> {
  const purged = Object.fromEntries(STEPS.map((s) => [s.type, 0])) as Record<PurgedType, number>;
  const cutoff = retentionCutoff(props.retentionDays, props.now);
  if (!cutoff) return { cutoff, purged };
  await inTransaction(
    db,
    async ({ sql }) => {
      for (const step of STEPS) purged[step.type] = await purgeStep(sql, step, cutoff);
    },
    { timeoutMs: 10 * 60_000 },
  );
  return { cutoff, purged };
}

async function purgeStep(sql: Sql, step: (typeof STEPS)[number], cutoff: Date): Promise<number> {
  const cleverId = step.type.endsWith('membership') ? 'NULL::text' : 't."cleverId"';
  const district =
    step.type === 'section_membership'
      ? `(SELECT s."districtId" FROM "Section" s WHERE s.id = t."sectionId")`
      : step.type === 'school_membership'
        ? `(SELECT s."districtId" FROM "School" s WHERE s.id = t."schoolId")`
        : 't."districtId"';
  const rows = await sql(
    `DELETE FROM "${step.table}" t
      WHERE t."archivedAt" IS NOT NULL AND t."archivedAt" < $1::timestamptz AND ${step.unreferenced}
      RETURNING t.id::text AS id, ${cleverId} AS "cleverId", ${district}::text AS "districtId"`,
    [cutoff.toISOString()],
  );
  if (step.type === 'user' && rows.length > 0) {
    // An archived user's sessions ended when they were archived; make sure no row outlives the account.
    await sql(`DELETE FROM "session" WHERE sess->'passport'->>'user' = ANY($1::text[])`, [
      rows.map((r) => String(r.id)),
    ]);
  }
  const byDistrict = new Map<string | null, typeof rows>();
  for (const row of rows) {
    const key = (row.districtId as string | null) ?? null;
    byDistrict.set(key, [...(byDistrict.get(key) ?? []), row]);
  }
  for (const [districtId, group] of byDistrict) {
    await recordAudit(
      sql,
      { districtId, source: 'retention' },
      group.map((r) => ({
        recordType: step.type,
        recordId: String(r.id),
        cleverId: (r.cleverId as string | null) ?? null,
        action: 'purged',
        reason: `archived before ${cutoff.toISOString().slice(0, 10)} (retention period)`,
      })),
    );
  }
  return rows.length;
}
