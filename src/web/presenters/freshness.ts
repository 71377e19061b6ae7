// View model of the sync page's freshness panel (views/admin/partials/freshness.ejs): the last events run,
// the last full sync, and how far behind Clever's events the district may be.
import type { EventsFreshness } from '../../sync/sync-api';
import { when } from './format';

function minutesText(minutes: number): string {
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}

const EVENTS_STATUS: Record<string, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  skipped: 'Skipped',
};

export function presentFreshness(f: EventsFreshness, now: Date) {
  const run = f.lastEventsRun;
  const lagMinutes = f.caughtUpAt ? Math.floor((now.getTime() - f.caughtUpAt.getTime()) / 60_000) : null;
  const isLate = lagMinutes !== null && f.intervalMinutes > 0 && lagMinutes > 2 * f.intervalMinutes;
  return {
    schedule:
      f.intervalMinutes > 0
        ? `Every ${minutesText(f.intervalMinutes)}, between daily full syncs`
        : 'Off (SYNC_EVENTS_INTERVAL_MINUTES=0): only the daily full sync runs',
    lastEventsRun: run
      ? {
          href: `/admin/sync/runs/${run.id}`,
          at: when(run.at)!,
          status: EVENTS_STATUS[run.status] ?? run.status,
          statusClass: `status-${run.status}`,
          events:
            run.eventsRead === null ? null : `${run.eventsRead} event${run.eventsRead === 1 ? '' : 's'} read`,
          note: run.status === 'succeeded' ? null : run.note,
        }
      : null,
    lastFullSync: f.lastFullSync
      ? { href: `/admin/sync/runs/${f.lastFullSync.id}`, at: when(f.lastFullSync.at)! }
      : null,
    lag:
      lagMinutes === null
        ? 'Not known yet: no sync has completed.'
        : `At most ${minutesText(lagMinutes)}: we had every event Clever had at ${when(f.caughtUpAt)}.`,
    lagTone: lagMinutes === null || isLate ? 'warn' : 'ok',
    newestEventAt: when(f.newestEventAt),
  };
}

export type FreshnessView = ReturnType<typeof presentFreshness>;
