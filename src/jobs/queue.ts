// pg-boss 10 on the app's one pool (embedded PGlite or PostgreSQL): never a second connection path.
// NOTE: archive settings must stay ≥ 60 s or cron is silently
// disabled; `singleton` + singletonKey keeps one active job per district (others wait, head-of-line
// blocking accepted); never wait on pg-boss from inside a Prisma transaction.
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Logger } from '../logger';
import type { RunQueue } from '../sync/sync-api';

export const SYNC_QUEUE = 'sync-district';
export const DAILY_QUEUE = 'sync-all-districts';
export const ONBOARD_QUEUE = 'onboard-districts';
/** Ticks every minute while SYNC_EVENTS_INTERVAL_MINUTES > 0: queues the events syncs that are due. */
export const EVENTS_QUEUE = 'sync-events';

/**
 * SYNC_JOB_EXPIRE_SECONDS: a sync job still active this long after it started is handed to another worker
 * (its worker died, or the sync is slow). The retry waits for a run whose lease is still renewed, so a slow
 * sync is never run twice; a dead worker's run is recorded failed and redone (src/sync/runs/abandoned-run.ts).
 * Retries bound how often one job is handed on.
 */
export const DEFAULT_SYNC_EXPIRE_SECONDS = 3600;
const SYNC_RETRY_LIMIT = 2;

export interface JobQueue extends RunQueue {
  /** Starts pg-boss once (creating its schema and queues); later calls return the same instance. */
  start(): Promise<PgBoss>;
  stop(): Promise<void>;
  /** Creates a `singleton` queue if missing; safe when several processes start at once (see below). */
  createQueue(name: string): Promise<void>;
  /** Jobs waiting, retrying and running per queue, read from the database (empty before pg-boss's schema exists). */
  depth(): Promise<Array<{ queue: string; state: string; count: number }>>;
}

export function createJobQueue(props: {
  pool: pg.Pool;
  logger: Logger;
  isSupervisor: boolean;
  syncExpireSeconds?: number;
}): JobQueue {
  const expireInSeconds = props.syncExpireSeconds ?? DEFAULT_SYNC_EXPIRE_SECONDS;
  const options: PgBoss.ConstructorOptions = {
    db: { executeSql: (text, values) => props.pool.query(text, values) },
    // Maintenance and cron only where workers run; a process that only queues jobs stays quiet.
    supervise: props.isSupervisor,
    schedule: props.isSupervisor,
    archiveCompletedAfterSeconds: 3600,
    archiveFailedAfterSeconds: 7 * 24 * 3600,
    cronMonitorIntervalSeconds: 30,
    cronWorkerIntervalSeconds: 5,
    // Expired jobs are found by maintenance: check often enough that a short expiry means a quick hand-over.
    maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(expireInSeconds / 5))),
  };
  // Loaded when first started: `npm run sync` and the web pages never need pg-boss (nor its cron parser).
  const newBoss = async () => {
    const { default: PgBoss } = await import('pg-boss');
    const created = new PgBoss(options);
    created.on('error', (err) => props.logger.error({ err: { message: err.message } }, 'job queue error'));
    return created;
  };
  let boss: PgBoss | null = null;
  let started: Promise<PgBoss> | null = null;
  let isStopped = false;

  return {
    start() {
      started ??= (async () => {
        boss = await newBoss();
        await boss.start();
        for (const name of [SYNC_QUEUE, DAILY_QUEUE, ONBOARD_QUEUE, EVENTS_QUEUE])
          await createQueue(boss, name);
        return boss;
      })();
      return started;
    },
    async enqueue(run) {
      const started = await this.start();
      await started.send(
        SYNC_QUEUE,
        { runId: run.runId, ...(run.requestId ? { requestId: run.requestId } : {}) },
        { singletonKey: run.districtId, retryLimit: SYNC_RETRY_LIMIT, expireInSeconds },
      );
    },
    async createQueue(name) {
      await createQueue(await this.start(), name);
    },
    async depth() {
      const [exists] = (await props.pool.query(`SELECT to_regclass('pgboss.job') IS NOT NULL AS ok`)).rows;
      if (!exists?.ok) return [];
      const rows = await props.pool.query(
        `SELECT name, state::text AS state, count(*)::int AS n FROM pgboss.job
          WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`,
      );
      const found = new Map(rows.rows.map((r) => [`${r.name}|${r.state}`, Number(r.n)]));
      const queues = new Set([
        SYNC_QUEUE,
        DAILY_QUEUE,
        ONBOARD_QUEUE,
        EVENTS_QUEUE,
        ...rows.rows.map((r) => String(r.name)),
      ]);
      // Every queue and state is reported, 0 included, so a drained queue reads 0 rather than vanishing.
      return [...queues].flatMap((queue) =>
        ['created', 'retry', 'active'].map((state) => ({
          queue,
          state,
          count: found.get(`${queue}|${state}`) ?? 0,
        })),
      );
    },
    async stop() {
      if (!started || isStopped) return;
      isStopped = true;
      await started.catch(() => undefined);
      await boss?.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

/**
 * NOTE: pg-boss 10's create_queue deadlocks when two processes create queues at the same moment (two workers
 * starting together on a fresh database: one of them died with "deadlock detected"). It is idempotent (ON
 * CONFLICT DO NOTHING), so the loser of the deadlock simply tries again. Create queues through here (or
 * `JobQueue.createQueue`), never with `boss.createQueue` directly.
 */
async function createQueue(boss: PgBoss, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await boss.createQueue(name, { name, policy: 'singleton' });
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 200));
    }
  }
}
