// View model of /admin/sync: are we in step with Clever, what did recent runs do, what waits for a decision.
import type { SyncHealth } from '../../sync/runs/read-sync-health';
import type { PlanItem, RunSummary } from '../../sync/sync-api';
import { personName, when } from './format';
import { presentFreshness } from './freshness';
import { buildRunsChart } from './sync-chart';

export const STATUS: Record<string, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  held: 'Held for review',
  approved: 'Approved',
  discarded: 'Discarded',
  dry_run: 'Preview',
  skipped: 'Skipped',
};

export function presentRunRow(run: RunSummary) {
  const c = run.counts.total;
  return {
    href: `/admin/sync/runs/${run.id}`,
    at: when(run.createdAt),
    status: STATUS[run.status] ?? run.status,
    statusClass: `status-${run.status}`,
    kind: run.isDryRun ? 'preview' : run.kind,
    trigger: run.trigger,
    created: c.created,
    updated: c.updated,
    archived: c.archived,
    restored: c.restored,
    errors: c.errors,
    duration: run.durationMs === null ? '' : `${Math.max(1, Math.round(run.durationMs / 1000))} s`,
    error: run.error,
    heldBecause: run.heldBecause,
  };
}

export const presentPlanItem = (item: PlanItem) => ({
  action: item.action === 'archive' ? 'Archive' : 'Restore',
  recordType: item.recordType.replace('_', ' '),
  label: item.label ?? item.cleverId ?? '(unnamed)',
  reason: item.reason,
});

function freshness(health: SyncHealth) {
  const ours = health.lastSuccess ? (health.lastSuccess.finishedAt ?? health.lastSuccess.resolvedAt) : null;
  const clever = health.district.cleverLastSync;
  if (health.held) {
    return {
      tone: 'warn',
      text: 'The latest sync is held for your review: nothing it would archive has been archived.',
    };
  }
  if (!ours) return { tone: 'warn', text: 'This district has never been synced successfully.' };
  if (clever && clever > ours) {
    return {
      tone: 'warn',
      text: 'Clever has changes newer than our last successful sync. Run a sync to catch up.',
    };
  }
  return {
    tone: 'ok',
    text: 'In step: our last successful sync ran after Clever last changed this district.',
  };
}

export function presentSyncHealth(health: SyncHealth) {
  const ours = health.lastSuccess ? (health.lastSuccess.finishedAt ?? health.lastSuccess.resolvedAt) : null;
  return {
    district: health.district.name,
    isConnected: health.district.connection === 'connected',
    cleverLastSync: when(health.district.cleverLastSync) ?? 'not reported by Clever',
    cleverState: health.district.cleverState || null,
    lastSuccess: when(ours) ?? 'never',
    freshness: freshness(health),
    events: presentFreshness(health.events, new Date()),
    chart: buildRunsChart(health.runs),
    runs: health.runs.map(presentRunRow),
    held: health.held
      ? {
          run: presentRunRow(health.held.run),
          items: health.held.plan.items.map(presentPlanItem),
          hasMore: health.held.plan.next !== null,
          approveAction: `/admin/sync/runs/${health.held.run.id}/approve`,
          discardAction: `/admin/sync/runs/${health.held.run.id}/discard`,
        }
      : null,
    reviews: health.reviews.reviews.map((r) => ({
      href: `/admin/reviews/${r.id}`,
      name: personName(r.user),
      email: r.user?.email ?? null,
      candidates: r.candidateUserIds.length,
      reason: r.reason,
      at: when(r.createdAt),
    })),
    reviewTotal: health.reviews.total,
  };
}

export type SyncHealthView = ReturnType<typeof presentSyncHealth>;
