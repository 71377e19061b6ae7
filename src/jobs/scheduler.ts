// The daily full sync of every connected district (SYNC_SCHEDULE in SYNC_TIMEZONE), a check for newly
// connected districts every few minutes, and one such check at start, so a new district syncs at once.
import type { Config } from '../config';
import { DAILY_QUEUE, ONBOARD_QUEUE, type JobQueue } from './queue';

export const ONBOARD_SCHEDULE = '*/10 * * * *';

export async function startScheduler(jobs: JobQueue, config: Config): Promise<void> {
  const boss = await jobs.start();
  const tz = config.sync.timezone;
  await boss.schedule(DAILY_QUEUE, config.sync.schedule, {}, { tz, singletonKey: 'daily' });
  await boss.schedule(ONBOARD_QUEUE, ONBOARD_SCHEDULE, {}, { tz, singletonKey: 'onboard' });
  await boss.send(ONBOARD_QUEUE, {}, { singletonKey: 'onboard' });
}
