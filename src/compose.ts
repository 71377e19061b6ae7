// Builds the app's services from config and database: the Clever clients, the sync, the job queue. Shared by
// the server, the command-line processes and the tests, so tests run the same wiring as production. What only
// a web server needs (sign-in, the routers) is in src/web/web-parts.ts: `npm run sync` and `npm run worker`
// never load Express, Passport or the pages (~0.2 s and ~15 MB at every start).
import { createCleverClients, type CleverClients, type CleverHttpOptions } from './clever/clever-clients';
import type { Config } from './config';
import type { Database } from './db/database';
import { createJobQueue, type JobQueue } from './jobs/queue';
import { startRetentionJob } from './jobs/retention';
import { startScheduler } from './jobs/scheduler';
import { startWorkers } from './jobs/workers';
import type { Logger } from './logger';
import { createMetrics, recordCleverRequest, recordRun, type Metrics } from './metrics';
import type { SyncContext } from './sync/sync-api';
import { startControlServer, type ControlServer } from './web/control-server';

export interface ServiceDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Test seams for the Clever transport (e.g. a short timeout, an onRequest counter). */
  cleverHttp?: Omit<CleverHttpOptions, 'apiUrl' | 'oauthUrl' | 'version'>;
}

export interface Services {
  clever: CleverClients;
  /** The district sync (src/sync): pass `services` to startSync, approveHeldRun, listRecentRuns, ... */
  sync: SyncContext;
  /** pg-boss on the shared pool (started on first use). */
  jobs: JobQueue;
  /** This process's Prometheus metrics (served on /metrics). */
  metrics: Metrics;
  afterListen?: () => Promise<void>;
  close(): Promise<void>;
}

export async function buildServices(deps: ServiceDeps): Promise<Services> {
  const { config, db, logger } = deps;
  const metrics = createMetrics({
    // Process metrics (memory, event loop) for real processes; tests start many apps in one process.
    defaultMetrics: config.env !== 'test',
    sampleQueueDepth: () => jobs.depth(),
  });
  const clever = createCleverClients({
    apiUrl: config.clever.apiUrl,
    oauthUrl: config.clever.oauthUrl,
    version: config.clever.apiVersion,
    clientId: config.clever.clientId,
    clientSecret: config.clever.clientSecret,
    http: {
      timeoutMs: config.clever.timeoutMs,
      ...deps.cleverHttp,
      onRequest: (info) => {
        recordCleverRequest(metrics, info);
        deps.cleverHttp?.onRequest?.(info);
      },
    },
  });
  const jobs = createJobQueue({
    pool: db.pool,
    logger,
    isSupervisor: config.sync.runWorkers,
    syncExpireSeconds: config.sync.jobExpireSeconds,
  });
  const sync: SyncContext = {
    db,
    clever,
    logger,
    queue: jobs,
    settings: {
      massChangeThreshold: config.sync.massChangeThreshold,
      pageSize: config.sync.pageSize,
      writeConcurrency: config.sync.writeConcurrency,
      matchStudentsBySisId: config.clever.matchStudentsBySisId,
      lockTtlMs: config.sync.lockTtlSeconds * 1000,
      eventsIntervalMinutes: config.sync.eventsIntervalMinutes,
    },
    onRunFinished: (run) => recordRun(metrics, run),
  };
  let control: ControlServer | null = null;
  return {
    clever,
    sync,
    jobs,
    metrics,
    async afterListen() {
      // Embedded database: `npm run sync` hands its work to this process (it must not open DATA_DIR).
      if (db.lock) {
        control = await startControlServer({ sync }, logger);
        db.lock.update({ controlUrl: control.url, controlToken: control.token });
      }
      if (config.sync.runWorkers) {
        await startWorkers({ sync, jobs });
        await startScheduler(jobs, config);
        await startRetentionJob({
          jobs,
          db,
          logger,
          retentionDays: config.retentionDays,
          timezone: config.sync.timezone,
        });
      }
    },
    async close() {
      await control?.close();
      await jobs.stop();
    },
  };
}
