// Archives driven by the Events API: a `*.deleted` record (deleted or unshared; Clever does not say which),
// and the memberships a `sections.*` / `users.*` event no longer lists. Same reasons, audit and district
// scoping as the full sync's sweep.
import type { MembershipType } from '../../db/record-types';
import { archiveUnlistedMemberships } from '../../records/archive-memberships';
import { addCount, type SyncRecordType } from '../plan/counts';
import { sourceOf, type WriteContext } from '../write/write-context';

const DELETED = 'deleted or unshared in Clever (event)';
const TABLES: Record<string, string> = {
  school: 'School',
  term: 'Term',
  course: 'Course',
  section: 'Section',
  user: 'User',
};

/** Archives one record by Clever id, and every membership hanging off a deleted section or user. */
export async function archiveDeleted(
  w: WriteContext,
  type: 'school' | 'term' | 'course' | 'section' | 'user',
  cleverId: string,
): Promise<string[]> {
  const local = type === 'user' ? ` AND t."managedBy" = 'clever'` : '';
  const rows = await archiveWhere(
    w,
    type,
    `UPDATE "${TABLES[type]}" t SET "archivedAt" = now(), "archiveReason" = $3, "updatedAt" = now()
      WHERE t."districtId" = $1::uuid AND t."cleverId" = $2 AND t."archivedAt" IS NULL${local}
      RETURNING t.id, t."cleverId"`,
    [w.districtId, cleverId, DELETED],
  );
  if (type === 'section') await archiveMemberships(w, 'section_membership', { sectionCleverId: cleverId });
  if (type === 'user') {
    await archiveMemberships(w, 'section_membership', { userCleverId: cleverId });
    await archiveMemberships(w, 'school_membership', { userCleverId: cleverId });
  }
  return type === 'user' ? rows : [];
}

/** Archives the memberships of one section or one user that are not in `keep` (Clever id pairs). */
export async function archiveMemberships(
  w: WriteContext,
  type: MembershipType,
  owner: { sectionCleverId?: string; userCleverId?: string },
  keep: string[] = [],
): Promise<void> {
  const archived = await archiveUnlistedMemberships(w.sql, {
    type,
    districtId: w.districtId,
    owners: owner.sectionCleverId ? { sections: [owner.sectionCleverId] } : { users: [owner.userCleverId!] },
    keep,
    audit: { source: sourceOf(w), syncRunId: w.runId },
  });
  addCount(w.counts, type, 'archived', archived.length);
}

async function archiveWhere(w: WriteContext, type: SyncRecordType, update: string, params: unknown[]) {
  const rows = await w.sql(
    `WITH archived AS (${update}), audit AS (
       INSERT INTO "AuditEvent" ("districtId", "recordType", "recordId", "cleverId", action, source, reason, "syncRunId")
       SELECT $1::uuid, '${type}', a.id, a."cleverId", 'archived', '${sourceOf(w)}', $3, $${params.length + 1}::uuid
         FROM archived a
     )
     SELECT id::text AS id FROM archived`,
    [...params, w.runId],
  );
  addCount(w.counts, type, 'archived', rows.length);
  return rows.map((r) => String(r.id));
}
