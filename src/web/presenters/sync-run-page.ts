// View model of /admin/sync/runs/:id: one run's numbers per record type and, for a held run or a preview,
// the records it would archive or restore, a page at a time. A run that has not finished (or failed) has no
// plan to show: the parts it planned while reading are never applied.
import { SYNC_RECORD_TYPES, type PlanItem, type RunSummary } from '../../sync/sync-api';
import { presentPlanItem, presentRunRow } from './sync-health';

export function presentRunPage(
  run: RunSummary,
  plan: { items: PlanItem[]; next: string | null },
  cursor?: string,
) {
  const planIsComplete = !['queued', 'running', 'failed'].includes(run.status);
  return {
    id: run.id,
    isActive: run.status === 'queued' || run.status === 'running',
    progressText: progressText(run),
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

/** "Reading users: 12 pages read, 1,180 records read, 240 written." (the same words as public/sync-progress.js) */
export function progressText(run: Pick<RunSummary, 'status' | 'progress'>): string {
  const p = run.progress;
  if (!p) return run.status === 'queued' ? 'Waiting to start…' : run.status === 'running' ? 'Starting…' : '';
  const n = (v: number) => v.toLocaleString('en-US');
  const reading = run.status === 'running' ? `Reading ${p.collection}: ` : 'Read: ';
  return `${reading}${n(p.pagesRead)} page${p.pagesRead === 1 ? '' : 's'} read, ${n(p.recordsRead)} records read, ${n(p.recordsWritten)} written.`;
}
