// A sync run's life, in one place: created (queued) → running → succeeded / held / dry_run / skipped /
// failed; a held run is approved or discarded by an admin, or superseded by a newer sync; an events run may
// switch to a full sync. Nothing else writes SyncRun.status. Every run is recorded — trigger, state, counts
// per type, plan, error, duration.
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

/** The one sentence for a run whose process stopped (killed, out of memory, machine lost) before it ended. */
export const STOPPED_ERROR =
  'The process running this sync stopped before it finished. Nothing was archived; it was retried or the next sync does the work.';

/**
 * running -> failed for a run whose process stopped (its lease lapsed). Once: false when someone else
 * recorded the run's end first.
 */
export async function failStoppedRun(sql: Sql, runId: string): Promise<boolean> {
  const rows = await sql(
    `UPDATE "SyncRun" SET status = 'failed', "finishedAt" = now(), error = $2
      WHERE id = $1::uuid AND status = 'running' RETURNING id`,
    [runId, STOPPED_ERROR],
  );
  return rows.length > 0;
}

/**
 * Every run left "running" whose lease lapsed and whose job (on `syncQueue`) will not come back (a killed
 * `npm run sync`, a retry whose worker died as well): failed, so no run shows "running" forever.
 */
export async function failStoppedRunsWithoutJob(sql: Sql, syncQueue: string): Promise<string[]> {
  const rows = await sql(
    `UPDATE "SyncRun" r SET status = 'failed', "finishedAt" = now(), error = $2
      WHERE r.status = 'running' AND NOT r."isDryRun"
        AND NOT EXISTS (SELECT 1 FROM "SyncLock" l WHERE l."runId" = r.id AND l."expiresAt" > now())
        AND NOT EXISTS (SELECT 1 FROM pgboss.job j
                         WHERE j.name = $1 AND j.state IN ('created', 'retry', 'active')
                           AND j.data->>'runId' = r.id::text)
      RETURNING r.id::text AS id`,
    [syncQueue, STOPPED_ERROR],
  );
  return rows.map((r) => String(r.id));
}

/** An events run that must become a full sync (see src/sync/events/events-sync.ts). */
export async function switchToFullSync(sql: Sql, runId: string): Promise<void> {
  await sql(`UPDATE "SyncRun" SET kind = 'full' WHERE id = $1::uuid`, [runId]);
}

/** Once the full sync that took over has ended: the history says why the events run became one. */
export async function recordHandOver(sql: Sql, runId: string, reason: string): Promise<void> {
  await sql(
    `UPDATE "SyncRun" SET plan = coalesce(plan, '{}'::jsonb) || jsonb_build_object('handedOverBecause', $2::text)
      WHERE id = $1::uuid`,
    [runId, reason],
  );
}

/** An admin takes a held run to approve it: false when it was already reviewed (or is not held). */
export async function claimHeldRun(sql: Sql, runId: string, actorId: string): Promise<boolean> {
  const rows = await sql(
    `UPDATE "SyncRun" SET "resolvedById" = $2::uuid, "resolvedAt" = now()
      WHERE id = $1::uuid AND status = 'held' RETURNING id`,
    [runId, actorId],
  );
  return rows.length > 0;
}

/** An admin discards a held run: nothing is archived. false when it was already reviewed. */
export async function discardRun(sql: Sql, runId: string, actorId: string): Promise<boolean> {
  const rows = await sql(
    `UPDATE "SyncRun" SET status = 'discarded', "resolvedById" = $2::uuid, "resolvedAt" = now()
      WHERE id = $1::uuid AND status = 'held' RETURNING id`,
    [runId, actorId],
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
