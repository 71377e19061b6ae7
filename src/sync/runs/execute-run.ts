// Runs one recorded SyncRun to its end — in a worker, in the CLI, or in the app for a CLI that handed the
// work over: takes the district lock (writing runs only), dispatches to the full or events sync, and records
// every failure with a clear error. Nothing is archived by a run that fails.
import { CleverError } from '../../clever/clever-clients';
import type { SyncKind } from '../../generated/prisma/client';
import { AppError } from '../../errors';
import { awaitRunOrLapse } from './abandoned-run';
import type { ProgressListener, SyncContext } from '../sync-context';
import { runEventsSync } from '../events/events-sync';
import { runFullSync } from '../full-sync';
import { holdDistrictLock, type HeldLock } from '../lock/hold-district-lock';
import { emptyRunCounts, parseRunCounts, type RunCounts } from '../plan/counts';
import { describeBreaches, type GuardDecision } from '../plan/guard';
import {
  createRun,
  failStoppedRun,
  finishRun,
  markRunning,
  recordHandOver,
  supersedeHeldRuns,
  switchToFullSync,
  type SyncTrigger,
} from './run-status';

export interface RunResult {
  runId: string;
  districtId: string;
  status: string;
  counts: RunCounts;
  error: string | null;
  /** For a held run: which record types crossed the threshold, e.g. "35 of 79 users (44%)". */
  heldBecause: string | null;
}

export interface ExecuteOptions {
  onProgress?: ProgressListener;
  /** How long to wait for another sync of the district to end; 0 refuses at once. */
  lockWaitMs?: number;
}

export async function executeRun(
  ctx: SyncContext,
  runId: string,
  options: ExecuteOptions = {},
): Promise<RunResult> {
  const run = await ctx.db.prisma.syncRun.findUnique({ where: { id: runId }, include: { district: true } });
  if (!run) throw new AppError('not_found', 'Sync run not found.');
  // The job came back after its worker stopped (pg-boss retries an expired job).
  if (run.status === 'running') return retryAbandonedRun(ctx, run, options);
  // A job delivered twice, or a run already handled: report it as it stands.
  if (run.status !== 'queued') return readResult(ctx, runId);
  const sql = ctx.db.sql;
  const cleverDistrictId = run.district.cleverId;
  let lock: HeldLock | undefined;
  try {
    if (!cleverDistrictId || run.district.connection === 'disconnected') {
      throw new AppError('invalid_state', 'This district is not connected to Clever.');
    }
    if (!run.isDryRun) {
      try {
        lock = await holdDistrictLock(ctx.db, {
          districtId: run.districtId,
          runId,
          // An events run never waits: the sync holding the lock brings the district up to date itself.
          waitMs: run.kind === 'events' ? 0 : (options.lockWaitMs ?? 0),
          ttlMs: ctx.settings.lockTtlMs,
        });
      } catch (err) {
        if (run.kind !== 'events' || !(err instanceof AppError) || err.code !== 'sync_running') throw err;
        await finishRun(sql, runId, { status: 'skipped', error: SKIPPED_BUSY });
        return finished(ctx, runId, run.kind);
      }
    }
    await markRunning(sql, runId);
    const props = {
      runId,
      districtId: run.districtId,
      cleverDistrictId,
      lock,
      onProgress: options.onProgress,
    };
    if (run.kind === 'events') {
      const outcome = await runEventsSync(ctx, props);
      if (outcome.status === 'unavailable') {
        await finishRun(sql, runId, {
          status: 'skipped',
          error: `Skipped: ${outcome.reason}; the daily full sync keeps it current.`,
        });
      }
      if (outcome.status === 'needs_full_sync') {
        ctx.logger.info({ runId, reason: outcome.reason }, 'events sync handed over to a full sync');
        await switchToFullSync(sql, runId);
        await supersedeHeldRuns(sql, run.districtId, runId);
        await runFullSync(ctx, { ...props, isDryRun: false });
        await recordHandOver(sql, runId, outcome.reason);
      }
    } else {
      if (!run.isDryRun) await supersedeHeldRuns(sql, run.districtId, runId);
      await runFullSync(ctx, { ...props, isDryRun: run.isDryRun });
    }
  } catch (err) {
    await finishRun(sql, runId, { status: 'failed', error: describeFailure(ctx, runId, err) });
  } finally {
    await lock?.release().catch((err) => ctx.logger.warn({ runId, err: String(err) }, 'lock release failed'));
  }
  return finished(ctx, runId, run.kind, run.districtId);
}

/** The sentence an events run that found another sync of its district running leaves in the history. */
export const SKIPPED_BUSY =
  'Skipped: another sync of this district was running; it brings the district up to date.';

async function finished(ctx: SyncContext, runId: string, kind: SyncKind, districtId?: string) {
  const result = await readResult(ctx, runId);
  if (result.status === 'held') {
    // The alert: nothing was archived, and an admin must approve or discard the plan.
    ctx.logger.warn(
      { runId, districtId, heldBecause: result.heldBecause },
      'sync held for review: it would archive more than the mass-change threshold',
    );
  }
  if (ctx.onRunFinished) {
    const row = await ctx.db.prisma.syncRun.findUniqueOrThrow({
      where: { id: runId },
      select: { kind: true },
    });
    ctx.onRunFinished({ kind: row.kind ?? kind, status: result.status, counts: result.counts });
  }
  return result;
}

/**
 * A run left "running" by a worker that stopped: once its lease has lapsed, it is recorded failed and a new
 * run of the same kind, trigger and district does the work, so the history shows both attempts. A run whose
 * worker is alive (the job merely outlived its expiry) is waited for and reported, never run twice.
 */
async function retryAbandonedRun(
  ctx: SyncContext,
  run: {
    id: string;
    districtId: string;
    kind: SyncKind;
    trigger: string;
    isDryRun: boolean;
    startedById: string | null;
  },
  options: ExecuteOptions,
): Promise<RunResult> {
  const sql = ctx.db.sql;
  const state = await awaitRunOrLapse(sql, { runId: run.id, waitMs: options.lockWaitMs ?? 0 });
  if (state !== 'lapsed' || !(await failStoppedRun(sql, run.id))) return readResult(ctx, run.id);
  ctx.onRunFinished?.({ kind: run.kind, status: 'abandoned', counts: emptyRunCounts() });
  const retryId = await createRun(ctx.db, {
    districtId: run.districtId,
    kind: run.kind,
    trigger: run.trigger as SyncTrigger,
    isDryRun: run.isDryRun,
    startedById: run.startedById,
  });
  ctx.logger.warn(
    { runId: run.id, retryRunId: retryId },
    'sync abandoned by its worker; retrying as a new run',
  );
  return executeRun(ctx, retryId, options);
}

export async function readResult(ctx: SyncContext, runId: string): Promise<RunResult> {
  const run = await ctx.db.prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });
  const guard = (run.plan as { guard?: GuardDecision } | null)?.guard;
  return {
    runId,
    districtId: run.districtId,
    status: run.status,
    counts: run.counts ? parseRunCounts(run.counts) : emptyRunCounts(),
    error: run.error,
    heldBecause: guard?.isHeld ? describeBreaches(guard) : null,
  };
}

function describeFailure(ctx: SyncContext, runId: string, err: unknown): string {
  const suffix = ' Nothing was archived.';
  if (err instanceof CleverError) {
    ctx.logger.warn({ runId, code: err.code, status: err.status, path: err.path }, 'sync failed: Clever');
    return `Clever request failed (${err.code}): ${err.message}.${suffix}`;
  }
  if (err instanceof AppError) return `${err.message}${suffix}`;
  const e = err instanceof Error ? err : new Error(String(err));
  ctx.logger.error({ runId, err: { name: e.name, message: e.message, stack: e.stack } }, 'sync failed');
  return `Unexpected error (${e.name}); see the app's log for run ${runId}.${suffix}`;
}
