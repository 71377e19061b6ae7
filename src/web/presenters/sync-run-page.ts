// View model of /admin/sync/runs/:id: one run's numbers per record type and, for a held run or a preview,
// the records it would archive or restore, a page at a time. A run that has not finished (or failed) has no
// plan to show: the parts it planned while reading are never applied.
import { SYNC_RECORD_TYPES, type PlanItem, type RunSummary } from '../../sync';
import { presentPlanItem, presentRunRow } from './sync-health';

export function presentRunPage(
  run: RunSummary,
  plan: { items: PlanItem[]; next: string | null },
  cursor?: string,
) {
  const planIsComplete = !['queued', 'running', 'failed'].includes(run.status);
  return {
    id: run.id,
    planIsComplete,
    isFailed: run.status === 'failed',
    run: presentRunRow(run),
    isHeld: run.status === 'held',
    approveAction: `/admin/sync/runs/${run.id}/approve`,
    discardAction: `/admin/sync/runs/${run.id}/discard`,
    byType: SYNC_RECORD_TYPES.map((type) => ({ type: type.replace('_', ' '), ...run.counts[type] })),
    total: run.counts.total,
    items: planIsComplete ? plan.items.map(presentPlanItem) : [],
    nextHref:
      planIsComplete && plan.next
        ? `/admin/sync/runs/${run.id}?cursor=${encodeURIComponent(plan.next)}`
        : null,
    firstHref: cursor ? `/admin/sync/runs/${run.id}` : null,
  };
}

export type RunPageView = ReturnType<typeof presentRunPage>;
