// The one way a membership Clever no longer lists is archived — at login, by the events sync, and (as plan
// items applied after a complete read) by the full sync, whose plan uses the same reasons
// (src/db/record-types.ts). A listing is complete for its owner: a user's Clever record lists all their schools,
// a section's all its teachers and students; so the memberships an owner has here but the listing does not name
// are archived (never deleted), with an audit row each, in one statement. Local accounts are never touched.
import type { AuditSource } from '../db/audit';
import { ARCHIVE_REASONS, type MembershipType } from '../db/record-types';
import type { Sql } from '../db/sql';

export interface UnlistedMemberships {
  type: MembershipType;
  districtId: string;
  /**
   * Whose listing is complete, by Clever id: users (their schools, or — at login — the signer's sections) or
   * sections (their teachers and students).
   */
  owners: { users: string[] } | { sections: string[] };
  /**
   * The memberships the listing names, as Clever id pairs: `userCleverId|schoolCleverId` for schools,
   * `sectionCleverId|userCleverId` for sections. A listed id Clever does not share with the app still counts.
   */
  keep: string[];
  audit: { source: AuditSource; syncRunId?: string | null };
}

const SHAPES = {
  school_membership: {
    table: 'SchoolMembership',
    other: 'School',
    otherColumn: 'schoolId',
    key: `u."cleverId" || '|' || o."cleverId"`,
  },
  section_membership: {
    table: 'SectionMembership',
    other: 'Section',
    otherColumn: 'sectionId',
    key: `o."cleverId" || '|' || u."cleverId"`,
  },
} as const;

/** Archives and audits the owners' memberships the listing does not name; returns their ids. */
export async function archiveUnlistedMemberships(sql: Sql, props: UnlistedMemberships): Promise<string[]> {
  if (!props.districtId) throw new Error('archiveUnlistedMemberships needs a district');
  const owners = 'users' in props.owners ? props.owners.users : props.owners.sections;
  if (owners.length === 0) return [];
  const shape = SHAPES[props.type];
  const owner = 'users' in props.owners ? 'u' : 'o';
  const reason = ARCHIVE_REASONS[props.type];
  const rows = await sql(
    `WITH archived AS (
       UPDATE "${shape.table}" t SET "archivedAt" = now(), "archiveReason" = $3, "updatedAt" = now()
         FROM "User" u, "${shape.other}" o
        WHERE u.id = t."userId" AND o.id = t."${shape.otherColumn}" AND o."districtId" = $1::uuid
          AND ${owner}."cleverId" = ANY($2::text[]) AND t."archivedAt" IS NULL AND u."managedBy" = 'clever'
          AND NOT (${shape.key} = ANY($4::text[]))
        RETURNING t.id, ${shape.key} AS "cleverId"
     ), audit AS (
       INSERT INTO "AuditEvent" ("districtId", "recordType", "recordId", "cleverId", action, source, reason, "syncRunId")
       SELECT $1::uuid, $5, a.id, a."cleverId", 'archived', $6, $3, $7::uuid FROM archived a
     )
     SELECT id::text AS id FROM archived`,
    [
      props.districtId,
      owners,
      reason,
      props.keep,
      props.type,
      props.audit.source,
      props.audit.syncRunId ?? null,
    ],
  );
  return rows.map((r) => String(r.id));
}
