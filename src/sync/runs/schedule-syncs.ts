// What the scheduler does: onboard districts, then queue a full sync per connected district — every one
// (the daily run) or only those that never had one (new districts, checked often so they sync at once) —
// and, between full syncs, an events sync of each district every SYNC_EVENTS_INTERVAL_MINUTES.
import type { HasSync } from '../sync-context';
import { SKIPPED_BUSY } from './execute-run';
import { createRun, finishRun } from './run-status';
import { onboardDistricts, type OnboardResult } from '../onboard-districts';
import { startSync } from './start-sync';

export async function queueDistrictSyncs(
  services: HasSync,
  props: { scope: 'all' | 'new' },
): Promise<{ onboarding: OnboardResult; runIds: string[] }> {
  const onboarding = await onboardDistricts(services.sync);
  const runIds: string[] = [];
  for (const district of onboarding.connected) {
    if (props.scope === 'new' && !district.needsInitialSync) continue;
    const trigger = district.needsInitialSync ? 'onboarding' : 'schedule';
    runIds.push(await startSync(services, { districtId: district.districtId, trigger }));
  }
  return { onboarding, runIds };
}

/** An events run that finds one of these of its district waiting or running is recorded skipped. */
const BUSY = ['queued', 'running'] as const;

/**
 * The events schedule (checked every minute): queues an events sync of each connected district that has
 * completed a full sync and had no scheduled events run for `intervalMinutes`. A district whose full sync is
 * waiting or running gets a skipped events run instead, so the history says why no events were read.
 */
export async function queueEventsSyncs(
  services: HasSync,
  props: { intervalMinutes: number },
): Promise<{ runIds: string[]; skippedRunIds: string[] }> {
  const { db } = services.sync;
  const runIds: string[] = [];
  const skippedRunIds: string[] = [];
  if (props.intervalMinutes <= 0) return { runIds, skippedRunIds };
  // Half a minute of slack: the schedule ticks once a minute, and a tick may run a few seconds late.
  const dueBefore = new Date(Date.now() - props.intervalMinutes * 60_000 + 30_000);
  const districts = await db.prisma.district.findMany({
    where: { connection: 'connected', cleverId: { not: null } },
    select: { id: true },
  });
  for (const district of districts) {
    const runs = db.prisma.syncRun;
    const hasFullSync = await runs.count({
      where: { districtId: district.id, kind: 'full', status: { in: ['succeeded', 'approved'] } },
    });
    if (hasFullSync === 0) continue; // its first full sync is queued by onboarding
    const recent = await runs.count({
      where: { districtId: district.id, kind: 'events', trigger: 'schedule', createdAt: { gt: dueBefore } },
    });
    if (recent > 0) continue;
    const busy = await runs.count({
      where: { districtId: district.id, kind: 'full', isDryRun: false, status: { in: [...BUSY] } },
    });
    if (busy > 0) {
      const runId = await createRun(db, { districtId: district.id, kind: 'events', trigger: 'schedule' });
      await finishRun(db.sql, runId, { status: 'skipped', error: SKIPPED_BUSY });
      skippedRunIds.push(runId);
      continue;
    }
    runIds.push(await startSync(services, { districtId: district.id, kind: 'events', trigger: 'schedule' }));
  }
  return { runIds, skippedRunIds };
}
