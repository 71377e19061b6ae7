// Prepares one migrated database that every test file clones, so each file gets its own clean database:
// embedded (default) — a PGlite data-dir tarball cached by the migrations' hash;
// TEST_DATABASE_URL set — a template database on that PostgreSQL server.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createPglitePool } from '../../src/db/pglite-pool';
import { deployMigrations, readMigrations } from '../../src/db/run-migrations';

export const TEMPLATE_DB = 'cp_test_template';

export function templateTarPath(): string {
  const hash = createHash('sha256');
  for (const m of readMigrations()) hash.update(m.name).update(m.checksum);
  return path.join(os.tmpdir(), `clever-provisioner-template-${hash.digest('hex').slice(0, 16)}.tar.gz`);
}

export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    const stale = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'cp_test_%'`);
    for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    const target = new URL(url);
    target.pathname = `/${TEMPLATE_DB}`;
    const pool = new pg.Pool({ connectionString: target.toString(), max: 1 });
    await deployMigrations(pool);
    await pool.end();
    await admin.end();
    return;
  }
  const tar = templateTarPath();
  if (fs.existsSync(tar)) return;
  const pglite = new PGlite();
  await pglite.waitReady;
  const pool = createPglitePool(pglite);
  await deployMigrations(pool);
  await pool.end();
  const dump = await pglite.dumpDataDir('gzip');
  await pglite.close();
  const tmp = `${tar}.${process.pid}`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, tar);
}
