// The one database access path. A single pg.Pool serves Prisma (through @prisma/adapter-pg), the session
// store and the job queue, on a PostgreSQL server (DATABASE_URL) or on embedded PGlite under DATA_DIR.
// Mixing access paths on one PGlite instance silently loses writes
// (docs/decisions/0001-postgresql-prisma-migrations.md).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { secureDataDir, tightenDataDir } from './data-dir-permissions';
import { fromRoot } from '../paths';
import { createPglitePool } from './pglite-pool';
import { sqlOnPool, type Sql } from './sql';

/**
 * The embedded database's buffer cache lives in the app's own memory (WebAssembly memory never shrinks), so
 * PostgreSQL's default of 128 MB made every process that opens it ~150 MB larger. The data files stay in the
 * operating system's page cache either way: a full sync of a 50k-student district took as long with 16 MB
 * (docs/benchmarks.md, peak RSS).
 */
const PGLITE_SHARED_BUFFERS = ['-c', 'shared_buffers=16MB'];

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  kind: DatabaseKind;
  pool: pg.Pool;
  prisma: PrismaClient;
  /** Raw SQL outside a transaction, on the pool (see src/db/sql.ts; transactions: src/db/transaction.ts). */
  sql: Sql;
  /** Counts SQL statements sent through the pool (for cost ceilings in tests and benchmarks). */
  statements: { count: number };
  /** Where the embedded database lives; null on PostgreSQL. */
  dataDir: string | null;
  lock: DataDirLock | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Embedded database folder (PGlite stores its files in `<dataDir>/pglite`). */
  dataDir?: string;
  /** An already open PGlite (tests load a migrated template into memory). */
  pglite?: PGlite;
  /** Pool size on PostgreSQL. */
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const statements = { count: 0 };
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection the server closes (restart, failover, pg_terminate_backend) is dropped and replaced
    // by the pool; without a listener, pg ends the whole process with an unhandled 'error' event.
    pool.on('error', () => undefined);
    countStatements(pool, statements);
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return {
      kind: 'postgres',
      pool,
      prisma,
      sql: sqlOnPool(pool),
      statements,
      dataDir: null,
      lock: null,
      async close() {
        await closeAll([() => prisma.$disconnect(), () => endPool(pool)]);
      },
    };
  }

  let lock: DataDirLock | null = null;
  let pglite = options.pglite;
  const ownsPglite = !pglite;
  if (!pglite) {
    const dataDir = path.resolve(options.dataDir ?? './data');
    secureDataDir(dataDir);
    lock = lockDataDir(dataDir);
    try {
      const folder = path.join(dataDir, 'pglite');
      if (!fs.existsSync(path.join(folder, 'PG_VERSION'))) await createInChild(folder);
      // Loaded only here: on PostgreSQL a process never pays PGlite's module loading (~70 ms at every start).
      const { PGlite } = await import('@electric-sql/pglite');
      pglite = new PGlite(folder, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SHARED_BUFFERS] });
      await pglite.waitReady;
      tightenDataDir(dataDir); // PGlite writes its files 0666 whatever the umask
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  const db = pglite;
  const pool = createPglitePool(db);
  countStatements(pool, statements);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'pglite',
    pool,
    prisma,
    sql: sqlOnPool(pool),
    statements,
    dataDir: options.pglite ? null : path.resolve(options.dataDir ?? './data'),
    lock,
    async close() {
      await closeAll([
        () => prisma.$disconnect(),
        () => endPool(pool),
        async () => {
          if (!ownsPglite) return;
          await db.close();
          if (lock) tightenDataDir(path.dirname(lock.path));
        },
        async () => lock?.release(),
      ]);
    },
  };
}

/**
 * A new embedded database is created (initdb) by scripts/pglite-initdb.mjs in a process of its own: initdb
 * grows PGlite's WebAssembly memory to ~300 MB, and a process never gives that back (the app kept ~650 MB of
 * RSS after its first start). Opening the created folder afterwards costs what every later start costs.
 */
function createInChild(folder: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [fromRoot('scripts/pglite-initdb.mjs'), folder],
      { cwd: fromRoot(), maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (!err) return resolve();
        const detail = String(stderr).trim().split('\n').pop() || err.message;
        reject(new Error(`Could not create the embedded database in ${folder}: ${detail}`));
      },
    );
  });
}

const endPool = (pool: pg.Pool) => (pool.ended ? Promise.resolve() : pool.end());

/** Runs every step even when one fails, so a broken connection never leaves the others open. */
async function closeAll(steps: Array<() => Promise<unknown>>): Promise<void> {
  const errors: unknown[] = [];
  for (const step of steps) await step().catch((err: unknown) => errors.push(err));
  if (errors.length) throw errors[0];
}

function countStatements(pool: pg.Pool, statements: { count: number }): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      statements.count++;
      return query(...args);
    };
  });
}
