// Holds a district's sync lock for the length of a run: waits for it (bounded), renews it on a heartbeat,
// and notices when it was lost, so a run that stalled past its lease stops before it writes again.
import type { Database } from '../../db/database';
import { AppError } from '../../errors';
import {
  acquireDistrictLock,
  HEARTBEAT_MS,
  LOCK_TTL_MS,
  releaseDistrictLock,
  renewDistrictLock,
} from './district-lock';

export interface HeldLock {
  /** Throws when the lease was lost. Called before every write. */
  assertHeld(): void;
  release(): Promise<void>;
}

export async function holdDistrictLock(
  db: Database,
  props: { districtId: string; runId: string; waitMs: number; pollMs?: number; ttlMs?: number },
): Promise<HeldLock> {
  const sql = db.sql;
  // The heartbeat keeps the lease's proportions at any TTL: several renewals fit in one lease.
  const ttlMs = props.ttlMs ?? LOCK_TTL_MS;
  const heartbeatMs = Math.min(HEARTBEAT_MS, Math.floor(ttlMs / 6));
  const deadline = Date.now() + props.waitMs;
  for (;;) {
    const attempt = await acquireDistrictLock(sql, props.districtId, props.runId, ttlMs);
    if (attempt.isAcquired) break;
    if (Date.now() >= deadline) {
      throw new AppError(
        'sync_running',
        'Another sync of this district is running; try again when it ends.',
        {
          holderRunId: attempt.holderRunId,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, props.pollMs ?? 1000));
  }

  let isLost = false;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewDistrictLock(sql, props.districtId, props.runId, ttlMs).then(
      (ok) => void (isLost ||= !ok),
      () => undefined, // a failed heartbeat is retried at the next tick; the lease outlives several ticks
    );
  }, heartbeatMs);
  timer.unref();

  return {
    assertHeld() {
      if (isLost) throw new AppError('sync_running', 'This sync lost its district lock; it stopped writing.');
    },
    async release() {
      clearInterval(timer);
      await renewing;
      await releaseDistrictLock(sql, props.districtId, props.runId);
    },
  };
}
