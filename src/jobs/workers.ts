// Sync workers: run queued SyncRuns (one per district at a time), the daily sync of every district, the
// events schedule's tick and the frequent check for newly connected districts. Used by `npm start` (RUN_WORKERS=true) and `npm run worker`.
import type { Logger } from '../logger';
import { executeRun, queueDistrictSyncs, queueEventsSyncs, type SyncContext } from '../sync/sync-api';
import { failAbandonedRuns } from './fail-abandoned-runs';
import { DAILY_QUEUE, EVENTS_QUEUE, ONBOARD_QUEUE, SYNC_QUEUE, type JobQueue } from './queue';
import type { EventsTick } from './scheduler';

/** Waiting for a sync of the same district started elsewhere (the CLI, an approval) before giving up. */
const LOCK_WAIT_MS = 30 * 60_000;

export async function startWorkers(services: { sync: SyncContext; jobs: JobQueue }): Promise<void> {
  const boss = await services.jobs.start();
  guardAgainstUnhandledRejections(services.sync.logger);
  await boss.work<{ runId: string; requestId?: string }>(
    SYNC_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 2 },
    async ([job]) => {
      if (!job) return;
      // Every line this sync logs names its job and run, and the request that started it (an admin's).
      const { runId, requestId } = job.data;
      const logger = services.sync.logger.child({
        jobId: job.id,
        runId,
        ...(requestId ? { reqId: requestId } : {}),
      });
      logger.info('sync job started');
      const result = await executeRun({ ...services.sync, logger }, runId, {
        lockWaitMs: LOCK_WAIT_MS,
      });
      logger.info({ status: result.status, finalRunId: result.runId }, 'sync job finished');
    },
  );
  await boss.work(DAILY_QUEUE, { pollingIntervalSeconds: 10 }, async () => {
    await queueDistrictSyncs(services, { scope: 'all' });
  });
  await boss.work<EventsTick>(EVENTS_QUEUE, { pollingIntervalSeconds: 5 }, async ([job]) => {
    const intervalMinutes = Number(job?.data?.intervalMinutes ?? 0);
    await queueEventsSyncs(services, { intervalMinutes });
  });
  await boss.work(ONBOARD_QUEUE, { pollingIntervalSeconds: 10 }, async () => {
    const failed = await failAbandonedRuns(services.sync.db.sql);
    if (failed.length)
      services.sync.logger.warn({ runIds: failed }, 'recorded abandoned sync runs as failed');
    await queueDistrictSyncs(services, { scope: 'new' });
  });
}

let isGuarded = false;
/**
 * NOTE: pg-boss 10 does not await complete()/fail() in workers, so one database error there would end the
 * process as an unhandled rejection (embedded-postgres.md §8.5). Log it instead.
 */
function guardAgainstUnhandledRejections(logger: Logger): void {
  if (isGuarded) return;
  isGuarded = true;
  process.on('unhandledRejection', (reason) => {
    const err = reason instanceof Error ? { message: reason.message, stack: reason.stack } : String(reason);
    logger.error({ err }, 'unhandled rejection (job queue)');
  });
}
