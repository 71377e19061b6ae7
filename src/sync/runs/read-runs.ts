// Read models of sync runs for the admin pages and the CLI: recent runs, one run, and a run's plan (what a
// held or dry run would archive or restore), paginated.
import { AppError } from '../../errors';
import type { HasSync } from '../sync-context';
import { parseRunCounts, type RunCounts } from '../plan/counts';
import { describeBreaches, type GuardDecision } from '../plan/guard';
import type { RunProgress } from './run-status';

export interface RunSummary {
  id: string;
  districtId: string;
  kind: 'full' | 'events';
  status: string;
  trigger: string;
  isDryRun: boolean;
  startedById: string | null;
  resolvedById: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  counts: RunCounts;
  error: string | null;
  /** Why a held run was held, e.g. "35 of 79 users (44%)". */
  heldBecause: string | null;
  guard: GuardDecision | null;
  /** A full sync's pages read and records written so far (kept once it finishes). */
  progress: RunProgress | null;
}

type RunRow = Awaited<ReturnType<HasSync['sync']['db']['prisma']['syncRun']['findFirstOrThrow']>>;

function present(run: RunRow): RunSummary {
  const guard = ((run.plan as { guard?: GuardDecision } | null)?.guard ?? null) as GuardDecision | null;
  return {
    id: run.id,
    districtId: run.districtId,
    kind: run.kind,
    status: run.status,
    trigger: run.trigger,
    isDryRun: run.isDryRun,
    startedById: run.startedById,
    resolvedById: run.resolvedById,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    counts: parseRunCounts(run.counts),
    error: run.error,
    heldBecause: guard?.isHeld ? describeBreaches(guard) : null,
    guard,
    progress: ((run.counts as { progress?: RunProgress } | null)?.progress ?? null) as RunProgress | null,
  };
}

export async function listRecentRuns(
  services: HasSync,
  props: { districtId: string; limit?: number },
): Promise<RunSummary[]> {
  const runs = await services.sync.db.prisma.syncRun.findMany({
    where: { districtId: props.districtId },
    orderBy: { createdAt: 'desc' },
    take: Math.min(Math.max(props.limit ?? 20, 1), 200),
  });
  return runs.map(present);
}

export async function getRun(
  services: HasSync,
  props: { runId: string; districtId?: string },
): Promise<RunSummary> {
  const run = await services.sync.db.prisma.syncRun.findUnique({ where: { id: props.runId } });
  if (!run || !isOfDistrict(run, props)) throw new AppError('not_found', 'Sync run not found.');
  return present(run);
}

/**
 * True when the run belongs to the district the caller named; a caller that names no district (the CLI, the
 * workers) may read any run. A `districtId` key that is present but empty is a bug upstream (a scope without
 * its district), never "any district": it throws, like Prisma's strictUndefinedChecks.
 */
export function isOfDistrict(run: { districtId: string }, props: { districtId?: string }): boolean {
  if (!('districtId' in props)) return true;
  if (!props.districtId) throw new Error('A district-scoped read was called without its district.');
  return run.districtId === props.districtId;
}

export interface PlanItem {
  id: string;
  recordType: string;
  action: 'archive' | 'restore';
  recordId: string | null;
  cleverId: string | null;
  label: string | null;
  reason: string | null;
}

export async function getRunPlan(
  services: HasSync,
  props: { runId: string; districtId?: string; recordType?: string; cursor?: string; limit?: number },
): Promise<{ items: PlanItem[]; next: string | null }> {
  await getRun(services, props);
  const limit = Math.min(Math.max(props.limit ?? 100, 1), 1000);
  const rows = await services.sync.db.prisma.syncPlanItem.findMany({
    where: {
      runId: props.runId,
      ...(props.recordType ? { recordType: props.recordType } : {}),
      ...(props.cursor ? { id: { gt: props.cursor } } : {}),
    },
    orderBy: { id: 'asc' },
    take: limit + 1,
  });
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    recordType: r.recordType,
    action: r.action as PlanItem['action'],
    recordId: r.recordId,
    cleverId: r.cleverId,
    label: r.label,
    reason: r.reason,
  }));
  return { items, next: rows.length > limit ? items[items.length - 1]!.id : null };
}
