// The Clever ids of the records a full sync has seen (schools, terms, courses, sections, users), staged in the
// UNLOGGED "SyncSeen" table keyed by run id, so that memory does not grow with the district: archives are
// computed from it with set-based SQL at the end. Memberships are not staged (plan-memberships.ts).
import type { Sql } from '../../db/sql';
import type { SyncRecordType } from '../plan/counts';

/** A membership's Clever key (events sync): `<section>|<user>` or `<user>|<school>` Clever ids. */
export const pairKey = (a: string, b: string): string => `${a}|${b}`;

export async function stageSeen(
  sql: Sql,
  runId: string,
  type: SyncRecordType,
  keys: string[],
): Promise<void> {
  if (keys.length === 0) return;
  await sql(
    `INSERT INTO "SyncSeen" ("runId", "recordType", key)
     SELECT $1::uuid, $2, k FROM unnest($3::text[]) AS k ON CONFLICT DO NOTHING`,
    [runId, type, [...new Set(keys)]],
  );
}

/** Which of `keys` this run has seen. */
export async function seenAmong(
  sql: Sql,
  runId: string,
  type: SyncRecordType,
  keys: string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await sql(
    `SELECT key FROM "SyncSeen" WHERE "runId" = $1::uuid AND "recordType" = $2 AND key = ANY($3::text[])`,
    [runId, type, keys],
  );
  return new Set(rows.map((r) => String(r.key)));
}

export async function clearStaging(sql: Sql, runId: string): Promise<void> {
  await sql(`DELETE FROM "SyncSeen" WHERE "runId" = $1::uuid`, [runId]);
}
