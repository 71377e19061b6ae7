// The audit trail: one row per record created, archived, restored or matched, written in one statement.
import type { AuditRecordType } from './record-types';
import type { Sql } from './sql';

export type AuditSource = 'login' | 'sync' | 'events' | 'admin' | 'import' | 'retention';

export interface AuditEntry {
  recordType: AuditRecordType;
  recordId: string;
  cleverId?: string | null;
  action: string;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

export async function recordAudit(
  sql: Sql,
  context: {
    districtId: string | null;
    source: AuditSource;
    actorId?: string | null;
    syncRunId?: string | null;
  },
  entries: AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await sql(
    `INSERT INTO "AuditEvent" ("districtId", "recordType", "recordId", "cleverId", "action", "source", "reason", "details", "actorId", "syncRunId")
     SELECT $1::uuid, e.rt, e.rid, e.cid, e.act, $2, e.reason, e.details::jsonb, $3::uuid, $4::uuid
       FROM unnest($5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::text[]) AS e(rt, rid, cid, act, reason, details)`,
    [
      context.districtId,
      context.source,
      context.actorId ?? null,
      context.syncRunId ?? null,
      entries.map((e) => e.recordType),
      entries.map((e) => e.recordId),
      entries.map((e) => e.cleverId ?? null),
      entries.map((e) => e.action),
      entries.map((e) => e.reason ?? null),
      entries.map((e) => (e.details ? JSON.stringify(e.details) : null)),
    ],
  );
}
