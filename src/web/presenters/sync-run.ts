// Sync runs as the admin API shows them: state, counts, timing and why a run was held. No plan rows here.
import type { RunSummary } from '../../sync/sync-api';

export function presentSyncRun(run: RunSummary) {
  return {
    runId: run.id,
    kind: run.kind,
    status: run.status,
    trigger: run.trigger,
    dryRun: run.isDryRun,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    durationMs: run.durationMs,
    counts: run.counts,
    heldBecause: run.heldBecause,
    error: run.error,
    progress: run.progress,
  };
}
