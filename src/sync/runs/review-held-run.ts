// A held run waits for an admin: approving archives exactly the records its plan lists (those still active
// and untouched since the run started); discarding archives nothing.
import { claimHeldRun, discardRun } from './run-status';
import { AppError } from '../../errors';
import { applyArchivePlan } from '../archive/apply-plan';
import type { HasSync } from '../sync-context';
import { readResult, type RunResult } from './execute-run';
import { holdDistrictLock } from '../lock/hold-district-lock';
import { emptyRunCounts, parseRunCounts, SYNC_RECORD_TYPES } from '../plan/counts';
import { isOfDistrict } from './read-runs';

export interface ReviewProps {
  runId: string;
  /** The admin deciding. */
  actorId: string;
  /** When given, the run must belong to this district (an admin reviews their own district only). */
  districtId?: string;
}

async function heldRun(services: HasSync, props: ReviewProps) {
  const run = await services.sync.db.prisma.syncRun.findUnique({ where: { id: props.runId } });
  if (!run || !isOfDistrict(run, props)) throw new AppError('not_found', 'Sync run not found.');
  if (run.status !== 'held') throw new AppError('conflict', `This run is ${run.status}, not held.`);
  return run;
}

export async function approveHeldRun(services: HasSync, props: ReviewProps): Promise<RunResult> {
  const ctx = services.sync;
  const run = await heldRun(services, props);
  const lock = await holdDistrictLock(ctx.db, {
    districtId: run.districtId,
    runId: run.id,
    waitMs: 30_000,
    ttlMs: ctx.settings.lockTtlMs,
  });
  try {
    const final = await applyArchivePlan(ctx, {
      runId: run.id,
      districtId: run.districtId,
      status: 'approved',
      counts: parseRunCounts(run.counts),
      eventCursor: run.eventCursor,
      source: 'admin',
      actorId: props.actorId,
      precondition: async (sql) => {
        if (!(await claimHeldRun(sql, run.id, props.actorId)))
          throw new AppError('conflict', 'This run was already reviewed.');
      },
    });
    // Creates and updates were reported when the run was held; the approval adds only its archives.
    const archived = emptyRunCounts();
    for (const type of SYNC_RECORD_TYPES) archived[type].archived = final[type].archived;
    ctx.onRunFinished?.({ kind: run.kind, status: 'approved', counts: archived });
  } finally {
    await lock.release();
  }
  return readResult(ctx, run.id);
}

export async function discardHeldRun(services: HasSync, props: ReviewProps): Promise<RunResult> {
  const ctx = services.sync;
  const run = await heldRun(services, props);
  if (!(await discardRun(ctx.db.sql, run.id, props.actorId)))
    throw new AppError('conflict', 'This run was already reviewed.');
  return readResult(ctx, run.id);
}
