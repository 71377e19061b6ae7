// An events sync: applies Clever's `*.created/updated/deleted` events after District.latestEventId, page by
// page, one transaction per page that also advances the cursor — a crash resumes after the last page applied,
// and re-applying an event changes nothing. A feed that would archive past the mass-change threshold, or a
// cursor Clever no longer knows, is handed to a full sync instead (which holds for review when it must).
import { CleverEventSchema, CleverNotFoundError, withDistrictToken, type CleverEvent } from '../clever';
import { endSessionsOf } from '../provisioning/sessions';
import { applyEvent } from './apply-event';
import type { ProgressListener, SyncContext } from './context';
import type { HeldLock } from './hold-district-lock';
import { emptyRunCounts, mergeCounts, type RunCounts } from './plan/counts';
import { parseEventType } from './plan/events';
import { evaluateGuard, isInRollover, thresholdFor, type ArchiveStats } from './plan/guard';
import { finishRun } from './run-recorder';
import { inTransaction } from './transaction';
import type { WriteContext } from './write-context';

export interface EventsSyncProps {
  runId: string;
  districtId: string;
  cleverDistrictId: string;
  lock?: HeldLock;
  onProgress?: ProgressListener;
}

export type EventsSyncOutcome =
  { status: 'succeeded'; counts: RunCounts; events: number } | { status: 'needs_full_sync'; reason: string };

export async function runEventsSync(ctx: SyncContext, props: EventsSyncProps): Promise<EventsSyncOutcome> {
  const district = await ctx.db.prisma.district.findUniqueOrThrow({ where: { id: props.districtId } });
  const fullSyncs = await ctx.db.prisma.syncRun.count({
    where: { districtId: props.districtId, kind: 'full', status: { in: ['succeeded', 'approved'] } },
  });
  if (fullSyncs === 0) return { status: 'needs_full_sync', reason: 'no full sync has completed yet' };

  return withDistrictToken(ctx.clever.tokens, props.cleverDistrictId, async (token) => {
    const client = ctx.clever.dataClient(token, { pageSize: ctx.settings.pageSize });
    const pages = () =>
      client.pages<CleverEvent>(
        '/events',
        { starting_after: district.latestEventId ?? undefined },
        CleverEventSchema as never,
      );
    try {
      const deletes = await countDeletes(pages());
      const guard = evaluateGuard({
        stats: await withActiveCounts(ctx, props.districtId, deletes),
        threshold: thresholdFor(district.massChangeThreshold, ctx.settings.massChangeThreshold),
        isRollover: isInRollover(district, new Date()),
      });
      if (guard.isHeld) return { status: 'needs_full_sync', reason: 'the events would archive too much' };
      return await applyAll(ctx, props, pages());
    } catch (err) {
      if (err instanceof CleverNotFoundError) {
        return { status: 'needs_full_sync', reason: 'Clever no longer knows the saved event id' };
      }
      throw err;
    }
  });
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

async function applyAll(ctx: SyncContext, props: EventsSyncProps, pages: AsyncIterable<CleverEvent[]>) {
  const counts = emptyRunCounts();
  let events = 0;
  props.onProgress?.({ kind: 'phase', phase: 'events' });
  for await (const page of pages) {
    if (page.length === 0) continue;
    props.lock?.assertHeld();
    const { pageCounts, archivedUsers } = await inTransaction(ctx.db, async (sql) => {
      const w: WriteContext = {
        sql,
        districtId: props.districtId,
        runId: props.runId,
        mode: 'events',
        counts: emptyRunCounts(),
        matchStudentsBySisId: ctx.settings.matchStudentsBySisId,
      };
      const archived: string[] = [];
      for (const event of page) archived.push(...(await applyEvent(w, event, props.cleverDistrictId)));
      await sql(`UPDATE "District" SET "latestEventId" = $2, "updatedAt" = now() WHERE id = $1::uuid`, [
        props.districtId,
        page[page.length - 1]!.id,
      ]);
      return { pageCounts: w.counts, archivedUsers: archived };
    });
    await endSessionsOf(ctx.db, archivedUsers);
    mergeCounts(counts, pageCounts);
    events += page.length;
    props.onProgress?.({ kind: 'collection', collection: 'events', records: events, done: false });
  }
  props.onProgress?.({ kind: 'collection', collection: 'events', records: events, done: true });
  await inTransaction(ctx.db, (sql) => finishRun(sql, props.runId, { status: 'succeeded', counts }));
  return { status: 'succeeded' as const, counts, events };
}
