// Never two syncs of one district at once, across processes and machines: a lease row per district
// ("SyncLock"), taken with one conditional statement and renewed by a heartbeat, so a crashed worker's lock
// expires on its own. NOTE: PGlite has one session, so session advisory locks are re-entrant there and
// exclude nothing (../shared/notes/embedded-postgres.md §5); a row works on both backends.
import type { Sql } from '../../db/sql';
import { failStoppedRun } from '../runs/run-status';

export const LOCK_TTL_MS = 120_000;
export const HEARTBEAT_MS = 20_000;

export interface LockAttempt {
  isAcquired: boolean;
  /** The run holding the lock when it was not acquired. */
  holderRunId: string | null;
}

export async function acquireDistrictLock(
  sql: Sql,
  districtId: string,
  runId: string,
  ttlMs = LOCK_TTL_MS,
): Promise<LockAttempt> {
  if (!districtId || !runId) throw new Error('acquireDistrictLock needs a district and a run');
  const taken = await sql(
    `WITH previous AS (SELECT "runId" FROM "SyncLock" WHERE "districtId" = $1::uuid)
     INSERT INTO "SyncLock" ("districtId", "runId", "expiresAt", "acquiredAt")
     VALUES ($1::uuid, $2::uuid, now() + make_interval(secs => $3::float8 / 1000), now())
     ON CONFLICT ("districtId") DO UPDATE SET "runId" = EXCLUDED."runId", "expiresAt" = EXCLUDED."expiresAt",
            "acquiredAt" = now()
      WHERE "SyncLock"."expiresAt" < now() OR "SyncLock"."runId" = EXCLUDED."runId"
     RETURNING (SELECT "runId"::text FROM previous) AS previous`,
    [districtId, runId, ttlMs],
  );
  if (taken.length === 0) {
    const holder = await sql(
      `SELECT "runId"::text AS "runId" FROM "SyncLock" WHERE "districtId" = $1::uuid`,
      [districtId],
    );
    return { isAcquired: false, holderRunId: holder[0] ? String(holder[0].runId) : null };
  }
  const previous = taken[0]?.previous ? String(taken[0].previous) : null;
  if (previous && previous !== runId) {
    // The lease expired under a run that stopped without finishing (a crashed or killed worker).
    await failStoppedRun(sql, previous);
  }
  return { isAcquired: true, holderRunId: runId };
}

/** false when the lease was lost (it expired and another run took it): the run must stop writing. */
export async function renewDistrictLock(
  sql: Sql,
  districtId: string,
  runId: string,
  ttlMs = LOCK_TTL_MS,
): Promise<boolean> {
  const rows = await sql(
    `UPDATE "SyncLock" SET "expiresAt" = now() + make_interval(secs => $3::float8 / 1000)
      WHERE "districtId" = $1::uuid AND "runId" = $2::uuid RETURNING 1 AS ok`,
    [districtId, runId, ttlMs],
  );
  return rows.length > 0;
}

export async function releaseDistrictLock(sql: Sql, districtId: string, runId: string): Promise<void> {
  await sql(`DELETE FROM "SyncLock" WHERE "districtId" = $1::uuid AND "runId" = $2::uuid`, [
    districtId,
    runId,
  ]);
}
