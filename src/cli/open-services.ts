// The app's services for a command-line process (the sync CLI with no app running, or `npm run worker`):
// the database (migrated), the sandbox when no Clever credentials are set, and the same wiring as the app.
import { buildServices, type Services } from '../compose';
import type { Config } from '../config';
import { openDatabase } from '../db/database';
import { deployMigrations } from '../db/run-migrations';
import type { Logger } from '../logger';
import type { RunningSandbox } from '../sandbox/sandbox-api';

export async function openServices(
  config: Config,
  logger: Logger,
): Promise<{ services: Services; close(): Promise<void> }> {
  const db = await openDatabase({
    databaseUrl: config.database.url,
    dataDir: config.database.dataDir,
    poolSize: config.database.poolSize,
  });
  let sandbox: RunningSandbox | null = null;
  try {
    await deployMigrations(db.pool);
    if (config.sandbox) sandbox = await startSandboxIfAbsent(config, logger);
    const services = await buildServices({ config, db, logger });
    return {
      services,
      async close() {
        await services.close();
        await sandbox?.close();
        await db.close();
      },
    };
  } catch (err) {
    await sandbox?.close();
    await db.close();
    throw err;
  }
}

/** An app on PostgreSQL may already serve the sandbox on SANDBOX_PORT: then that one is used. */
async function startSandboxIfAbsent(config: Config, logger: Logger): Promise<RunningSandbox | null> {
  const sandbox = config.sandbox!;
  // Loaded only here: with Clever credentials set, a command never needs the sandbox (nor its Express app).
  const { startSandbox } = await import('../sandbox/sandbox-api');
  try {
    return await startSandbox({
      port: sandbox.port,
      host: '127.0.0.1',
      seed: sandbox.seed,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      redirectUris: [config.clever.redirectUri],
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    logger.info({ port: sandbox.port }, 'using the Clever sandbox already running');
    return null;
  }
}
