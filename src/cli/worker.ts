// `npm run worker`: sync workers and the scheduler alone, without the web app, so several machines share the
// work (on PostgreSQL; the embedded database belongs to one process). Stops cleanly on SIGTERM/SIGINT.
import { loadConfigOrExit } from '../config';
import { startRetentionJob } from '../jobs/retention';
import { startScheduler } from '../jobs/scheduler';
import { startWorkers } from '../jobs/workers';
import { createLogger } from '../logger';
import { startWorkerServer, type WorkerServer } from '../web/worker-server';
import { openServices } from './open-services';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  // A worker always supervises (maintenance, cron), whatever RUN_WORKERS says for `npm start`.
  const opened = await openServices({ ...config, sync: { ...config.sync, runWorkers: true } }, logger);
  let server: WorkerServer | null = null;
  const stop = async (signal: string) => {
    logger.info({ signal }, 'worker stopping');
    await server?.close();
    await opened.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await startWorkers(opened.services);
  await startScheduler(opened.services.jobs, config);
  await startRetentionJob({
    jobs: opened.services.jobs,
    db: opened.services.sync.db,
    logger,
    retentionDays: config.retentionDays,
    timezone: config.sync.timezone,
  });
  if (config.workerPort !== null) {
    const { db } = opened.services.sync;
    server = await startWorkerServer({
      port: config.workerPort,
      config,
      db,
      metrics: opened.services.metrics,
    });
  }
  logger.info({ port: server?.port ?? null }, 'sync worker running');
}

main().catch((err: unknown) => {
  console.error(`worker failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
