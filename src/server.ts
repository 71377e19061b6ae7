// The only entry point: config -> database (migrated) -> sandbox (when no Clever credentials) -> app -> listen.
import http from 'node:http';
import { createApp } from './app';
import { buildServices } from './compose';
import { webParts } from './web/web-parts';
import { loadConfigOrExit } from './config';
import { openDatabase, type Database } from './db/database';
import { deployMigrations } from './db/run-migrations';
import { AppError } from './errors';
import { createLogger, type Logger } from './logger';
import { startSandbox, type RunningSandbox } from './sandbox/sandbox-api';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  if (config.database.url && config.session.isSecretGenerated) {
    // Several instances on one database must share SESSION_SECRET, or one's cookies are refused by another.
    logger.warn('SESSION_SECRET is not set: this instance made its own; other instances refuse its cookies');
  }
  const closers: Array<() => Promise<void>> = [];
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    for (const close of closers.reverse()) {
      await close().catch((err) => logger.warn({ err: String(err) }, 'error during shutdown'));
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  let db: Database;
  try {
    db = await openDatabase({
      databaseUrl: config.database.url,
      dataDir: config.database.dataDir,
      poolSize: config.database.poolSize,
    });
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
      process.exit(1);
    }
    console.error(`Cannot open the database: ${(err as Error).message}`);
    process.exit(1);
  }
  closers.push(() => db.close());
  const applied = await deployMigrations(db.pool);
  logger.info({ applied: applied.length, database: db.kind }, 'database ready');

  let sandbox: RunningSandbox | null = null;
  if (config.sandbox) {
    sandbox = await startSandbox({
      port: config.sandbox.port,
      host: '127.0.0.1',
      seed: config.sandbox.seed,
      clientId: config.sandbox.clientId,
      clientSecret: config.sandbox.clientSecret,
      redirectUris: [config.clever.redirectUri],
    });
    closers.push(() => sandbox!.close());
    logger.info({ url: sandbox.url }, 'Clever sandbox started (no CLEVER_CLIENT_ID set)');
  }

  const services = await buildServices({ config, db, logger });
  closers.push(() => services.close());
  const { app, close } = createApp({ config, db, logger, ...webParts({ config, db, logger }, services) });
  closers.push(close);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, resolve));
  closers.push(() => closeServer(server));
  logger.info({ url: config.baseUrl }, 'clever-provisioner is listening');
  await services.afterListen?.();
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  });
}

main().catch((err: unknown) => {
  const log: Logger = createLogger('error');
  log.fatal(
    { err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) },
    'startup failed',
  );
  process.exit(1);
});
