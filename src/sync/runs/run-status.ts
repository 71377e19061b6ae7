// SyncRun bookkeeping: every run is recorded — trigger, state, counts per type, plan, error, duration.
import type { Database } from '../../db/database';
import type { SyncKind, SyncStatus } from '../../generated/prisma/client';
import type { Sql } from '../../db/sql';
import type { RunCounts } from '../plan/counts';

export type SyncTrigger = 'schedule' | 'admin' | 'cli' | 'onboarding' | 'login';

export interface NewRun {
  districtId: string;
  kind: SyncKind;
  trigger: SyncTrigger;
  isDryRun?: boolean;
  startedById?: string | null;
}

export async function createRun(db: Database, props: NewRun): Promise<string> {
  if (!props.districtId) throw new Error('createRun needs a district');
  const run = await db.prisma.syncRun.create({
    data: {
      districtId: props.districtId,
      kind: props.kind,
      trigger: props.trigger,
      isDryRun: props.isDryRun ?? false,
      startedById: props.startedById ?? null,
      status: 'queued',
    },
    select: { id: true },
  });
  return run.id;
}

/** queued -> running (startedAt from the database clock: archives compare it with rows' lastSeenAt). */
export async function markRunning(sql: Sql, runId: string): Promise<boolean> {
  const rows = await sql(
    `UPDATE "SyncRun" SET status = 'running', "startedAt" = now(), error = NULL
      WHERE id = $1::uuid AND status IN ('queued', 'running') RETURNING id`,
    [runId],
  );
  return rows.length > 0;
}

/** A newer full sync replaces a held one that nobody reviewed: the newer plan is the one that counts. */
export async function supersedeHeldRuns(sql: Sql, districtId: string, runId: string): Promise<void> {
  await sql(
    `UPDATE "SyncRun" SET status = 'discarded', "resolvedAt" = now(),
            error = 'Superseded by a newer sync before anyone reviewed it.'
      WHERE "districtId" = $1::uuid AND id <> $2::uuid AND status = 'held'`,
    [districtId, runId],
  );
}

export interface RunEnd {
  status: Extract<SyncStatus, 'succeeded' | 'failed' | 'held' | 'dry_run' | 'approved' | 'skipped'>;
  counts?: RunCounts | null;
  plan?: Record<string, unknown> | null;
  error?: string | null;
  eventCursor?: string | null;
}

export async function finishRun(sql: Sql, runId: string, end: RunEnd): Promise<void> {
  await sql(
    `UPDATE "SyncRun" SET status = $2::"SyncStatus",
            counts = coalesce($3::jsonb || jsonb_strip_nulls(jsonb_build_object('progress', counts->'progress')), counts),
            plan = coalesce($4::jsonb, plan), error = $5, "eventCursor" = coalesce($6, "eventCursor"),
            "finishedAt" = now()
      WHERE id = $1::uuid`,
    [
      runId,
      end.status,
      end.counts ? JSON.stringify(end.counts) : null,
      end.plan ? JSON.stringify(end.plan) : null,
      end.error ?? null,
      end.eventCursor ?? null,
    ],
  );
}

/** How far a running sync has got, shown live on its page: kept in `counts` until the final counts replace it. */
export interface RunProgress {
  collection: string;
  pagesRead: number;
  recordsRead: number;
  recordsWritten: number;
}

export async function recordProgress(sql: Sql, runId: string, progress: RunProgress): Promise<void> {
  await sql(
    `UPDATE "SyncRun" SET counts = jsonb_build_object('progress', $2::jsonb)
      WHERE id = $1::uuid AND status = 'running'`,
    [runId, JSON.stringify(progress)],
  );
}
