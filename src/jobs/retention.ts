// The daily retention job (docs/retention.md): purges archived records past RETENTION_DAYS (never within
// Clever's 300-day window) on the pg-boss queue, once a day wherever workers run. A no-op while
// RETENTION_DAYS is unset (keep forever).
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { purgeArchived } from '../retention/purge-archived';
import type { JobQueue } from './queue';

export const RETENTION_QUEUE = 'purge-archived';
/** Daily, after the nightly full sync (02:00 by default) has had time to finish. */
export const RETENTION_SCHEDULE = '30 4 * * *';

export interface RetentionJobDeps {
  jobs: JobQueue;
  db: Database;
  logger: Logger;
  retentionDays: number | null;
  timezone: string;
}

/** Registers the queue, its daily schedule and its worker. */
export async function startRetentionJob(deps: RetentionJobDeps): Promise<void> {
  const boss = await deps.jobs.start();
  await deps.jobs.createQueue(RETENTION_QUEUE); // singleton; safe when workers start together
  await boss.schedule(RETENTION_QUEUE, RETENTION_SCHEDULE, {}, { tz: deps.timezone, singletonKey: 'daily' });
  await boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: 30 }, async () => {
    await runRetention(deps);
  });
}

export async function runRetention(deps: Omit<RetentionJobDeps, 'jobs' | 'timezone'>) {
  const result = await purgeArchived(deps.db, { retentionDays: deps.retentionDays });
  deps.logger.info(
    { cutoff: result.cutoff?.toISOString() ?? null, purged: result.purged },
    result.cutoff ? 'retention: purged archived records' : 'retention: RETENTION_DAYS unset, nothing purged',
  );
  return result;
}
