// Applies a run's archive plan, inside the caller's transaction: each planned row still active — and not
// written since the run started — is archived with its reason, and an AuditEvent says so. District always in
// the WHERE. Returns the archived counts per type and the archived users (their sessions must end).
import type { AuditSource } from '../../db/audit';
import type { Sql } from '../../db/sql';
import { ARCHIVE_TARGETS } from '../../db/archive-targets';
import type { SyncRecordType } from '../plan/counts';

export interface SweepResult {
  archived: Partial<Record<SyncRecordType, number>>;
  archivedUserIds: string[];
}

export async function sweepArchives(
  sql: Sql,
  props: { runId: string; districtId: string; source: AuditSource; actorId?: string | null },
): Promise<SweepResult> {
  if (!props.districtId || !props.runId) throw new Error('sweepArchives needs a run and a district');
  const result: SweepResult = { archived: {}, archivedUserIds: [] };
  for (const target of ARCHIVE_TARGETS) {
    const rows = await sql(
      `WITH archived AS (
         UPDATE "${target.table}" t SET "archivedAt" = now(), "archiveReason" = p.reason, "updatedAt" = now()
           FROM "SyncPlanItem" p CROSS JOIN "SyncRun" r
          WHERE p."runId" = $1::uuid AND r.id = $1::uuid AND p."recordType" = '${target.type}'
            AND p.action = 'archive' AND t.id = p."recordId" AND t."archivedAt" IS NULL
            AND (t."lastSeenAt" IS NULL OR t."lastSeenAt" < r."startedAt") AND ${target.owned}
         RETURNING t.id, p."cleverId", p.reason
       ), audit AS (
         INSERT INTO "AuditEvent" ("districtId", "recordType", "recordId", "cleverId", action, source, reason, "actorId", "syncRunId")
         SELECT $2::uuid, '${target.type}', a.id, a."cleverId", 'archived', $3, a.reason, $4::uuid, $1::uuid FROM archived a
       )
       SELECT ${target.type === 'user' ? `coalesce(array_agg(a.id::text), '{}')` : `'{}'::text[]`} AS ids,
              count(*)::int AS n FROM archived a`,
      [props.runId, props.districtId, props.source, props.actorId ?? null],
    );
    result.archived[target.type] = Number(rows[0]?.n ?? 0);
    if (target.type === 'user') result.archivedUserIds = (rows[0]?.ids as string[]) ?? [];
  }
  return result;
}
