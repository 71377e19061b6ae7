// An events sync: applies Clever's `*.created/updated/deleted` events after District.latestEventId, page by
// page, one transaction per page that also advances the cursor — a crash resumes after the last page applied,
// and re-applying an event changes nothing. A feed that would archive past the mass-change threshold, a
// cursor Clever no longer knows, or one older than Clever keeps events is handed to a full sync instead
// (which holds for review when it must). An event that cannot be read is skipped and counted.
import {
  CleverEventSchema,
  CleverNotFoundError,
  CleverRequestError,
  withDistrictToken,
  type CleverEvent,
} from '../../clever/clever-clients';
import { endSessionsOf } from '../../db/sessions';
import { applyEvent } from './apply-event';
import type { ProgressListener, SyncContext } from '../sync-context';
import type { HeldLock } from '../lock/hold-district-lock';
import { emptyRunCounts, mergeCounts, type RunCounts } from '../plan/counts';
import { parseEventType } from '../plan/plan-events';
import { evaluateGuard, isInRollover, thresholdFor, type ArchiveStats } from '../plan/guard';
import { finishRun } from '../runs/run-status';
import { inTransaction } from '../../db/transaction';
import type { WriteContext } from '../write/write-context';

export interface EventsSyncProps {
  runId: string;
  districtId: string;
  cleverDistrictId: string;
  lock?: HeldLock;
  onProgress?: ProgressListener;
}

export type EventsSyncOutcome =
  | { status: 'succeeded'; counts: RunCounts; events: number }
  | { status: 'needs_full_sync'; reason: string }
  | { status: 'unavailable'; reason: string };

/**
 * Clever keeps events for 30 days (https://dev.clever.com/docs/events-api): a cursor last confirmed longer
 * ago than this may have lost events off the top of the feed, so the district gets a full sync instead.
 */
export const EVENT_RETENTION_MARGIN_DAYS = 29;

export async function runEventsSync(ctx: SyncContext, props: EventsSyncProps): Promise<EventsSyncOutcome> {
  const district = await ctx.db.prisma.district.findUniqueOrThrow({ where: { id: props.districtId } });
  const fullSyncs = await ctx.db.prisma.syncRun.count({
    where: { districtId: props.districtId, kind: 'full', status: { in: ['succeeded', 'approved'] } },
  });
  if (fullSyncs === 0) return { status: 'needs_full_sync', reason: 'no full sync has completed yet' };
  const confirmedAt = await cursorConfirmedAt(ctx, props.districtId);
  const oldest = Date.now() - EVENT_RETENTION_MARGIN_DAYS * 24 * 3600 * 1000;
  if (!confirmedAt || confirmedAt.getTime() < oldest) {
    return {
      status: 'needs_full_sync',
      reason: `the saved event id is older than Clever keeps events (${EVENT_RETENTION_MARGIN_DAYS}+ days)`,
    };
  }

  return withDistrictToken(ctx.clever.tokens, props.cleverDistrictId, async (token) => {
    // Events Clever sent that do not parse as events (no id, no type): skipped, counted, never fatal.
    const unreadable: unknown[] = [];
    const client = ctx.clever.dataClient(token, {
      pageSize: ctx.settings.pageSize,
      onInvalid: (raw) => void unreadable.push(raw),
    });
    const pages = () =>
      client.pages<CleverEvent>(
        '/events',
        { starting_after: district.latestEventId ?? undefined },
        CleverEventSchema as never,
      );
    try {
      const deletes = await countDeletes(pages());
      unreadable.length = 0; // counted while they are applied, page by page
      const guard = evaluateGuard({
        stats: await withActiveCounts(ctx, props.districtId, deletes),
        threshold: thresholdFor(district.massChangeThreshold, ctx.settings.massChangeThreshold),
        isRollover: isInRollover(district, new Date()),
      });
      if (guard.isHeld) return { status: 'needs_full_sync', reason: 'the events would archive too much' };
      return await applyAll(ctx, props, pages(), unreadable);
    } catch (err) {
      const isRefused = err instanceof CleverNotFoundError || err instanceof CleverRequestError;
      if (isRefused && !district.latestEventId) {
        // No saved event id: the last full sync found no Events API for this district either.
        return { status: 'unavailable', reason: "Clever's Events API is not enabled for this district" };
      }
      if (err instanceof CleverNotFoundError) {
        return { status: 'needs_full_sync', reason: 'Clever no longer knows the saved event id' };
      }
      throw err;
    }
  });
}

/** When the saved cursor was last known to be current: the start of the newest run that saved it. */
async function cursorConfirmedAt(ctx: SyncContext, districtId: string): Promise<Date | null> {
  const run = await ctx.db.prisma.syncRun.findFirst({
    where: {
      districtId,
      isDryRun: false,
      OR: [
        { kind: 'full', status: { in: ['succeeded', 'approved'] } },
        { kind: 'events', status: 'succeeded' },
      ],
    },
    orderBy: { startedAt: { sort: 'desc', nulls: 'last' } },
    select: { startedAt: true, createdAt: true },
  });
  return run ? (run.startedAt ?? run.createdAt) : null;
}

async function countDeletes(pages: AsyncIterable<CleverEvent[]>): Promise<Record<string, number>> {
  const deletes: Record<string, number> = {};
  for await (const page of pages) {
    for (const event of page) {
      const parsed = parseEventType(event.type);
      if (parsed?.action === 'deleted') deletes[parsed.recordType] = (deletes[parsed.recordType] ?? 0) + 1;
    }
  }
  return deletes;
}

async function withActiveCounts(ctx: SyncContext, districtId: string, deletes: Record<string, number>) {
  const stats: Record<string, ArchiveStats> = {};
  const models = {
    school: ctx.db.prisma.school,
    term: ctx.db.prisma.term,
    course: ctx.db.prisma.course,
    section: ctx.db.prisma.section,
    user: ctx.db.prisma.user,
  } as const;
  for (const [type, toArchive] of Object.entries(deletes)) {
    const model = models[type as keyof typeof models];
    if (!model) continue;
    const active = await (model as typeof ctx.db.prisma.term).count({
      where: { districtId, archivedAt: null },
    });
    stats[type] = { active, toArchive };
  }
  return stats;
}

async function applyAll(
  ctx: SyncContext,
  props: EventsSyncProps,
  pages: AsyncIterable<CleverEvent[]>,
  unreadable: unknown[],
) {
  const counts = emptyRunCounts();
  let events = 0;
  let skipped = 0;
  let unreadableCount = 0;
  let newest: { id: string; created: string | null } | null = null;
  props.onProgress?.({ kind: 'phase', phase: 'events' });
  for await (const page of pages) {
    const rejected = unreadable.splice(0);
    if (rejected.length > 0) {
      skipped += rejected.length;
      unreadableCount += rejected.length;
      counts.total.errors += rejected.length;
      ctx.logger.warn(
        { runId: props.runId, skipped: rejected.length },
        'events sync: skipped unreadable events',
      );
    }
    if (page.length === 0) continue;
    props.lock?.assertHeld();
    const { pageCounts, archivedUsers } = await inTransaction(ctx.db, { bulk: true }, async ({ sql }) => {
      const w: WriteContext = {
        sql,
        districtId: props.districtId,
        runId: props.runId,
        mode: 'events',
        counts: emptyRunCounts(),
        matchStudentsBySisId: ctx.settings.matchStudentsBySisId,
      };
      const archived: string[] = [];
      for (const event of page) {
        const applied = await applyEvent(w, event, props.cleverDistrictId);
        if (applied === 'skipped') skipped += 1;
        else archived.push(...applied);
      }
      await sql(`UPDATE "District" SET "latestEventId" = $2, "updatedAt" = now() WHERE id = $1::uuid`, [
        props.districtId,
        page[page.length - 1]!.id,
      ]);
      return { pageCounts: w.counts, archivedUsers: archived };
    });
    await endSessionsOf(ctx.db, archivedUsers);
    mergeCounts(counts, pageCounts);
    events += page.length;
    const last = page[page.length - 1]!;
    newest = { id: last.id, created: last.created ?? null };
    props.onProgress?.({ kind: 'collection', collection: 'events', records: events, done: false });
  }
  props.onProgress?.({ kind: 'collection', collection: 'events', records: events, done: true });
  // What the run read, for the history and the sync page's freshness (the newest event applied).
  const plan = {
    events: {
      read: events + unreadableCount,
      skipped,
      newestId: newest?.id ?? null,
      newestAt: newest?.created ?? null,
    },
  };
  await inTransaction(ctx.db, { bulk: true }, ({ sql }) =>
    finishRun(sql, props.runId, { status: 'succeeded', counts, plan, eventCursor: newest?.id ?? null }),
  );
  return { status: 'succeeded' as const, counts, events };
}
