// How fresh a district is between daily full syncs: its last events run, its last full sync, and how far
// behind Clever's events it may be (for the admin sync page).
import type { HasSync } from '../sync-context';

export interface EventsFreshness {
  /** SYNC_EVENTS_INTERVAL_MINUTES; 0: no scheduled events sync. */
  intervalMinutes: number;
  lastEventsRun: {
    id: string;
    status: string;
    at: Date;
    /** Events read (applied or skipped) by a run that succeeded. */
    eventsRead: number | null;
    note: string | null;
  } | null;
  lastFullSync: { id: string; at: Date } | null;
  /** The last moment we had every event Clever had: the end of the newest successful events run or full sync. */
  caughtUpAt: Date | null;
  /** When Clever created the newest event we applied (null before any event was applied). */
  newestEventAt: Date | null;
}

export async function readEventsFreshness(services: HasSync, districtId: string): Promise<EventsFreshness> {
  const runs = services.sync.db.prisma.syncRun;
  const [events, full] = await Promise.all([
    runs.findFirst({
      where: { districtId, kind: 'events', status: { notIn: ['queued', 'running'] } },
      orderBy: { createdAt: 'desc' },
    }),
    runs.findFirst({
      where: { districtId, kind: 'full', isDryRun: false, status: { in: ['succeeded', 'approved'] } },
      orderBy: { createdAt: 'desc' },
    }),
  ]);
  const applied = await runs.findFirst({
    where: { districtId, kind: 'events', status: 'succeeded' },
    orderBy: { createdAt: 'desc' },
  });
  const summary = (run: { plan: unknown } | null) =>
    (run?.plan as { events?: { read?: number; newestAt?: string | null } } | null)?.events;
  const finished = (run: { finishedAt: Date | null; createdAt: Date } | null) =>
    run ? (run.finishedAt ?? run.createdAt) : null;
  const candidates = [finished(applied), finished(full)].filter((d): d is Date => d !== null);
  const newest = summary(applied)?.newestAt;
  return {
    intervalMinutes: services.sync.settings.eventsIntervalMinutes ?? 0,
    lastEventsRun: events
      ? {
          id: events.id,
          status: events.status,
          at: finished(events)!,
          eventsRead: events.status === 'succeeded' ? (summary(events)?.read ?? 0) : null,
          note: events.error,
        }
      : null,
    lastFullSync: full ? { id: full.id, at: finished(full)! } : null,
    caughtUpAt: candidates.length ? new Date(Math.max(...candidates.map((d) => d.getTime()))) : null,
    newestEventAt: newest ? new Date(newest) : null,
  };
}
