// `npm run db:deploy` applies pending migrations (as `prisma migrate deploy` would); `npm run db:status` lists them.
import { ConfigError, loadConfigFromEnvironment } from '../config';
import { openDatabase } from '../db/database';
import { deployMigrations, migrationStatus } from '../db/run-migrations';

async function main(): Promise<number> {
  const command = process.argv[2] ?? 'deploy';
  const config = loadConfigFromEnvironment();
  const db = await openDatabase({
    databaseUrl: config.database.url,
    dataDir: config.database.dataDir,
    poolSize: 1,
  });
  try {
    if (command === 'status') {
      const status = await migrationStatus(db.pool);
      console.log(`applied: ${status.applied.length}, pending: ${status.pending.join(', ') || 'none'}`);
      if (status.failed.length) console.log(`failed: ${status.failed.join(', ')}`);
      if (status.edited.length) console.log(`changed after being applied: ${status.edited.join(', ')}`);
      return status.failed.length ? 1 : 0;
    }
    const applied = await deployMigrations(db.pool);
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'No pending migrations.',
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `Migration failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
