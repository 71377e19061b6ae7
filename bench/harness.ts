// Shared pieces of the benchmarks: a fresh database on the backend under test, timing, and statistics.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database';
import { deployMigrations } from '../src/db/run-migrations';

export type Backend = 'pglite' | 'postgres';

export interface BenchDatabase extends Database {
  backend: Backend;
  url: string | null;
}

/** A migrated, empty database: in-memory PGlite, or a new database on the server in DATABASE_URL. */
export async function freshDatabase(backend: Backend): Promise<BenchDatabase> {
  if (backend === 'postgres') {
    const created = await serverDatabase();
    const db = await openDatabase({ databaseUrl: created.url, poolSize: 10 });
    return {
      ...db,
      backend,
      url: created.url,
      async close() {
        await db.close();
        await created.drop();
      },
    };
  }
  const pglite = new PGlite();
  await pglite.waitReady;
  const db = await openDatabase({ pglite });
  await deployMigrations(db.pool);
  return {
    ...db,
    backend,
    url: null,
    async close() {
      await db.close();
      await pglite.close();
    },
  };
}

let databaseCounter = 0;

/** A new, migrated database on the server in DATABASE_URL (not kept open), and how to drop it. */
async function serverDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL!;
  const name = `cp_bench_${process.pid}_${++databaseCounter}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  await deployMigrations(db.pool);
  await db.close();
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: server });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export function backends(): Backend[] {
  const all: Backend[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  // `BENCH_BACKENDS=postgres npm run bench -- b3`: one backend only (while iterating).
  const only = process.env.BENCH_BACKENDS?.split(',').filter(Boolean);
  return only ? all.filter((b) => only.includes(b)) : all;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Samples this process's resident set size until stopped; returns the peak in MB. */
export function rssSampler(intervalMs = 50): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20, 0);
    },
  };
}

/** Where an empty, migrated database lives, for a process of its own to open (see sync-child.ts). */
export interface DatabaseLocation {
  backend: Backend;
  /** PostgreSQL URL, or null for PGlite. */
  url: string | null;
  /** PGlite data directory (the database is in `<dataDir>/pglite`), or null on PostgreSQL. */
  dataDir: string | null;
  drop(): Promise<void>;
}

/** An empty, migrated database that this process does not keep open: a new PostgreSQL database, or a PGlite directory. */
export async function emptyDatabase(backend: Backend): Promise<DatabaseLocation> {
  if (backend === 'postgres') return { backend, dataDir: null, ...(await serverDatabase()) };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-bench-'));
  const db = await openDatabase({ dataDir });
  await deployMigrations(db.pool);
  await db.close();
  return {
    backend,
    url: null,
    dataDir,
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
