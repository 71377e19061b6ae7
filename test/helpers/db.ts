// A clean, migrated database per test file: embedded PGlite in memory by default, or a fresh database on
// the PostgreSQL server named by TEST_DATABASE_URL (CI runs the suite both ways).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database';
import { TEMPLATE_DB, templateTarPath } from './global-setup';

export const backend: 'postgres' | 'pglite' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase extends Database {
  /** A postgres:// URL for this database (PostgreSQL runs only); null on embedded PGlite. */
  url: string | null;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `cp_test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
    return {
      ...db,
      url: url.toString(),
      async close() {
        await db.close();
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const blob = new Blob([fs.readFileSync(templateTarPath())]);
  const pglite = new PGlite({ loadDataDir: blob });
  await pglite.waitReady;
  const db = await openDatabase({ pglite });
  return {
    ...db,
    url: null,
    async close() {
      await db.close().finally(() => pglite.close());
    },
  };
}
