// The daily full sync of every connected district (SYNC_SCHEDULE in SYNC_TIMEZONE), the events sync of each
// district every SYNC_EVENTS_INTERVAL_MINUTES (a tick every minute queues the ones that are due; 0 removes
// the schedule), a check for newly connected districts every few minutes, and one such check at start, so a
// new district syncs at once. Schedules live in the database: every process that runs workers rewrites them.
import type { Config } from '../config';
import { DAILY_QUEUE, EVENTS_QUEUE, ONBOARD_QUEUE, type JobQueue } from './queue';

export const ONBOARD_SCHEDULE = '*/10 * * * *';
export const EVENTS_TICK_SCHEDULE = '* * * * *';

export interface EventsTick {
  intervalMinutes: number;
}

export async function startScheduler(jobs: JobQueue, config: Config): Promise<void> {
  const boss = await jobs.start();
  const tz = config.sync.timezone;
  await boss.schedule(DAILY_QUEUE, config.sync.schedule, {}, { tz, singletonKey: 'daily' });
  await boss.schedule(ONBOARD_QUEUE, ONBOARD_SCHEDULE, {}, { tz, singletonKey: 'onboard' });
  const intervalMinutes = config.sync.eventsIntervalMinutes;
  if (intervalMinutes > 0) {
    const tick: EventsTick = { intervalMinutes };
    await boss.schedule(EVENTS_QUEUE, EVENTS_TICK_SCHEDULE, tick, { tz, singletonKey: 'events' });
  } else {
    await boss.unschedule(EVENTS_QUEUE);
  }
  await boss.send(ONBOARD_QUEUE, {}, { singletonKey: 'onboard' });
}
