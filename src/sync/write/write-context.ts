// What every page writer gets: where to write, how (a full sync stages what it saw; a dry run only reads;
// an events sync writes without staging), and the run's counters.
import { recordAudit } from '../../db/audit';
import {
  previewRows,
  upsertRows,
  type TableSpec,
  type UpsertOptions,
  type UpsertResult,
} from '../../db/upsert-rows';
import type { Sql } from '../../db/sql';
import { addCount, tallyOutcomes, type RunCounts, type SyncRecordType } from '../plan/counts';
import type { SeenKeys } from './staging';
import type { PendingUsers } from './write-users';

export type WriteMode = 'full' | 'dry_run' | 'events';

export interface WriteContext {
  sql: Sql;
  districtId: string;
  runId: string;
  mode: WriteMode;
  counts: RunCounts;
  matchStudentsBySisId: boolean;
  /** What a full sync or its dry run has seen so far (an events sync sees no whole collection). */
  seen?: SeenKeys;
  /** A full sync's local ids of the district's schools by Clever id, read once every school was written. */
  schoolIds?: Map<string, string>;
  /** Which tables have digests in this district (none before its first full sync: nothing to look up). */
  digests?: { User: boolean; Section: boolean };
  /** A full sync's salt for its users' source digests (write-users.ts `userSourceSalt`). */
  userSourceSalt?: string;
  /** A full sync's changed users carried to a later page's transaction (write-users.ts). */
  pendingUsers?: PendingUsers;
}

/** Writes (or, in a dry run, previews) rows, counts the outcomes, audits creates and restores. */
export async function writeRows(
  w: WriteContext,
  type: SyncRecordType,
  spec: TableSpec,
  rows: Array<Record<string, unknown>>,
  options?: UpsertOptions,
): Promise<UpsertResult[]> {
  const results =
    w.mode === 'dry_run'
      ? await previewRows(w.sql, spec, rows)
      : await upsertRows(w.sql, spec, rows, options);
  tallyOutcomes(w.counts, type, results);
  if (w.mode === 'dry_run') {
    await recordRestorePlan(w, type, results);
  } else {
    const isMembership = type.endsWith('_membership');
    const entries = results
      .filter((r) => r.outcome === 'restored' || (r.outcome === 'created' && !isMembership))
      .map((r) => ({ recordType: type, recordId: r.id, cleverId: r.key, action: r.outcome }));
    await recordAudit(w.sql, { districtId: w.districtId, source: sourceOf(w), syncRunId: w.runId }, entries);
  }
  return results;
}

export const sourceOf = (w: WriteContext) => (w.mode === 'events' ? 'events' : 'sync');

/** A full sync and a dry run remember what they saw; the archive plan is computed from it at the end. */
export async function stage(w: WriteContext, type: SyncRecordType, keys: string[]): Promise<void> {
  if (w.mode !== 'events') w.seen?.add(type, keys);
}

/** A record Clever sent that failed validation: counted, never archived for it (it is still upstream). */
export async function skipInvalid(w: WriteContext, type: SyncRecordType, raw: unknown): Promise<void> {
  addCount(w.counts, type, 'errors');
  const id = (raw as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id) await stage(w, type, [id]);
}

async function recordRestorePlan(w: WriteContext, type: SyncRecordType, results: UpsertResult[]) {
  const restored = results.filter((r) => r.outcome === 'restored');
  if (restored.length === 0) return;
  await w.sql(
    `INSERT INTO "SyncPlanItem" ("runId", "recordType", "recordId", "cleverId", action, reason)
     SELECT $1::uuid, $2, r.id, r.cid, 'restore', 'shared by Clever again'
       FROM unnest($3::uuid[], $4::text[]) AS r(id, cid)`,
    [w.runId, type, restored.map((r) => r.id), restored.map((r) => r.key)],
  );
}

/** Local ids of this district's rows by Clever id (archived ones included: links survive an archive). */
export async function idsByCleverId(
  w: WriteContext,
  table: 'School' | 'Term' | 'Course' | 'Section' | 'User',
  cleverIds: Array<string | null | undefined>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(cleverIds.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  if (table === 'School' && w.schoolIds) {
    return new Map(wanted.flatMap((id) => (w.schoolIds!.has(id) ? [[id, w.schoolIds!.get(id)!]] : [])));
  }
  const rows = await w.sql(
    `SELECT id::text AS id, "cleverId" FROM "${table}" WHERE "districtId" = $1::uuid AND "cleverId" = ANY($2::text[])`,
    [w.districtId, wanted],
  );
  return new Map(rows.map((r) => [String(r.cleverId), String(r.id)]));
}

/** Local ids of the district's schools by Clever id (archived ones included, as idsByCleverId). */
export async function districtSchoolIds(sql: Sql, districtId: string): Promise<Map<string, string>> {
  const rows = await sql(
    `SELECT id::text AS id, "cleverId" FROM "School" WHERE "districtId" = $1::uuid AND "cleverId" IS NOT NULL`,
    [districtId],
  );
  return new Map(rows.map((r) => [String(r.cleverId), String(r.id)]));
}
