// pg-boss 10 on the app's one pool (embedded PGlite or PostgreSQL): never a second connection path.
// NOTE (../shared/notes/embedded-postgres.md §3–§8): archive settings must stay ≥ 60 s or cron is silently
// disabled; `singleton` + singletonKey keeps one active job per district (others wait, head-of-line
// blocking accepted); never wait on pg-boss from inside a Prisma transaction.
import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { Logger } from '../logger';
import type { RunQueue } from '../sync';

export const SYNC_QUEUE = 'sync-district';
export const DAILY_QUEUE = 'sync-all-districts';
export const ONBOARD_QUEUE = 'onboard-districts';

/** A sync may take hours for a very large district; pg-boss would otherwise expire it after 15 minutes. */
const SYNC_EXPIRE_SECONDS = 6 * 3600;

export interface JobQueue extends RunQueue {
  /** Starts pg-boss once (creating its schema and queues); later calls return the same instance. */
  start(): Promise<PgBoss>;
  stop(): Promise<void>;
}

export function createJobQueue(props: { pool: pg.Pool; logger: Logger; isSupervisor: boolean }): JobQueue {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => props.pool.query(text, values) },
    // Maintenance and cron only where workers run; a process that only queues jobs stays quiet.
    supervise: props.isSupervisor,
    schedule: props.isSupervisor,
    archiveCompletedAfterSeconds: 3600,
    archiveFailedAfterSeconds: 7 * 24 * 3600,
    cronMonitorIntervalSeconds: 30,
    cronWorkerIntervalSeconds: 5,
  });
  boss.on('error', (err) => props.logger.error({ err: { message: err.message } }, 'job queue error'));
  let started: Promise<PgBoss> | null = null;
  let isStopped = false;

  return {
    start() {
      started ??= (async () => {
        await boss.start();
        await boss.createQueue(SYNC_QUEUE, { name: SYNC_QUEUE, policy: 'singleton' });
        await boss.createQueue(DAILY_QUEUE, { name: DAILY_QUEUE, policy: 'singleton' });
        await boss.createQueue(ONBOARD_QUEUE, { name: ONBOARD_QUEUE, policy: 'singleton' });
        return boss;
      })();
      return started;
    },
    async enqueue(run) {
      const started = await this.start();
      await started.send(
        SYNC_QUEUE,
        { runId: run.runId },
        { singletonKey: run.districtId, retryLimit: 0, expireInSeconds: SYNC_EXPIRE_SECONDS },
      );
    },
    async stop() {
      if (!started || isStopped) return;
      isStopped = true;
      await started.catch(() => undefined);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
