// Runs left "running" by a process that stopped, with no job left to retry them (a `npm run sync` killed
// mid-way, a retry whose worker died as well): recorded failed once their lease has lapsed, so no run shows
// "running" forever. A run whose job may still come back is left to that job (src/sync/runs/abandoned-run.ts).
import type pg from 'pg';
import { SYNC_QUEUE } from './queue';

export const UNRETRIED_ERROR =
  'The process running this sync stopped before it finished. Nothing was archived; the next sync does the work.';

export async function failAbandonedRuns(pool: pg.Pool): Promise<string[]> {
  const rows = await pool.query(
    `UPDATE "SyncRun" r SET status = 'failed', "finishedAt" = now(), error = $2
      WHERE r.status = 'running' AND NOT r."isDryRun"
        AND NOT EXISTS (SELECT 1 FROM "SyncLock" l WHERE l."runId" = r.id AND l."expiresAt" > now())
        AND NOT EXISTS (SELECT 1 FROM pgboss.job j
                         WHERE j.name = $1 AND j.state IN ('created', 'retry', 'active')
                           AND j.data->>'runId' = r.id::text)
      RETURNING r.id::text AS id`,
    [SYNC_QUEUE, UNRETRIED_ERROR],
  );
  return rows.rows.map((r) => String(r.id));
}
