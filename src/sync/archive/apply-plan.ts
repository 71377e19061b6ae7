// The end of a full sync that may archive (a run under the threshold, or a held run an admin approved): the
// sweep, the run's final state and the district's event cursor in ONE transaction; then the archived users'
// sessions end.
import type { AuditSource } from '../../db/audit';
import type { Sql } from '../../db/sql';
import { endSessionsOf } from '../../db/sessions';
import type { SyncContext } from '../sync-context';
import { addCount, type RunCounts } from '../plan/counts';
import { finishRun } from '../runs/run-status';
import { sweepArchives } from './sweep-archives';
import { inTransaction } from '../../db/transaction';

export async function applyArchivePlan(
  ctx: SyncContext,
  props: {
    runId: string;
    districtId: string;
    status: 'succeeded' | 'approved';
    counts: RunCounts;
    plan?: Record<string, unknown>;
    eventCursor: string | null;
    source: AuditSource;
    actorId?: string | null;
    /** Extra guard inside the transaction (e.g. "still held" for an approval). */
    precondition?: (sql: Sql) => Promise<void>;
  },
): Promise<RunCounts> {
  const counts = props.counts;
  const archivedUserIds = await inTransaction(ctx.db, { bulk: true }, async ({ sql }) => {
    await props.precondition?.(sql);
    const swept = await sweepArchives(sql, props);
    for (const [type, n] of Object.entries(swept.archived)) addCount(counts, type as never, 'archived', n);
    await finishRun(sql, props.runId, {
      status: props.status,
      counts,
      plan: props.plan,
      eventCursor: props.eventCursor,
    });
    if (props.eventCursor) {
      await sql(
        `UPDATE "District" SET "latestEventId" = $2, "updatedAt" = now()
          WHERE id = $1::uuid AND "latestEventId" IS DISTINCT FROM $2`,
        [props.districtId, props.eventCursor],
      );
    }
    return swept.archivedUserIds;
  });
  await endSessionsOf(ctx.db, archivedUserIds);
  return counts;
}
