// A run whose worker died mid-sync (killed, out of memory, machine lost). pg-boss hands the run's job to
// another worker once the job expires; that worker finds the run still "running". The run's lease tells a dead
// worker from a slow one: a lease renewed by a heartbeat means the run is alive and is waited for, never
// duplicated; a lapsed lease means nobody is running it. It is then recorded failed — nothing was archived,
// since archiving happens in the run's last transaction — and a new run takes its place (run-status.ts).
import type { Sql } from '../../db/sql';

export type RunState = 'finished' | 'lapsed' | 'alive';

/**
 * Waits until the run ends or its lease lapses, at most `waitMs`. A dry run holds no lease: still "running"
 * when its job comes back, it is taken as abandoned.
 */
export async function awaitRunOrLapse(
  sql: Sql,
  props: { runId: string; waitMs: number; pollMs?: number },
): Promise<RunState> {
  const deadline = Date.now() + props.waitMs;
  for (;;) {
    const [row] = await sql(
      `SELECT r.status::text AS status,
              EXISTS (SELECT 1 FROM "SyncLock" l WHERE l."runId" = r.id AND l."expiresAt" > now()) AS "isLeased"
         FROM "SyncRun" r WHERE r.id = $1::uuid`,
      [props.runId],
    );
    if (!row || row.status !== 'running') return 'finished';
    if (!row.isLeased) return 'lapsed';
    if (Date.now() >= deadline) return 'alive';
    await new Promise((resolve) => setTimeout(resolve, props.pollMs ?? 1000));
  }
}
