// Applies prisma/migrations with exactly the bookkeeping of `prisma migrate deploy` (the `_prisma_migrations`
// table, its DDL, advisory lock 72707369, sha256 checksums, one implicit transaction per migration script),
// so Prisma's own CLI reads a database migrated here as up to date, and the other way round.
// Evidence and the SQL trace: ../shared/notes/prisma-offline.md §A.4 and §C.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { fromRoot } from '../paths';

const LOCK_ID = 72707369;
export const MIGRATIONS_DIR = fromRoot('prisma', 'migrations');

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  failed: string[];
  edited: string[];
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'P3005' | 'P3009' | 'P3018',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

// The engine accepts a file whose line endings were converted after it was applied (checksum.rs).
function sameChecksum(migration: Migration, recorded: string): boolean {
  if (migration.checksum === recorded) return true;
  const lf = migration.sql.replace(/\r\n/g, '\n');
  return checksumOf(lf) === recorded || checksumOf(lf.replace(/\n/g, '\r\n')) === recorded;
}

export async function migrationStatus(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const migrations = readMigrations(dir);
  const exists = await pool.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  const rows: AppliedRow[] = exists.rows[0].t
    ? (
        await pool.query(
          'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
        )
      ).rows
    : [];
  const done = rows.filter((r) => r.finished_at && !r.rolled_back_at);
  const applied = done.map((r) => r.migration_name);
  return {
    applied,
    pending: migrations.filter((m) => !applied.includes(m.name)).map((m) => m.name),
    failed: rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name),
    edited: migrations
      .filter((m) => done.some((r) => r.migration_name === m.name && !sameChecksum(m, r.checksum)))
      .map((m) => m.name),
  };
}

/** Applies every pending migration; returns the names applied. Safe to run from several processes at once. */
export async function deployMigrations(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK_ID})`);
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${LOCK_ID})`);
    }
  } finally {
    client.release();
  }
}

async function applyPending(client: pg.PoolClient, migrations: Migration[]): Promise<string[]> {
  const hasTable = (await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`)).rows[0].t;
  if (!hasTable) {
    const tables = await client.query(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    if (tables.rows[0].n > 0) {
      throw new MigrationError('P3005', 'The database schema is not empty and has no migration history.');
    }
    await client.query(CREATE_TABLE);
  }
  const rows: AppliedRow[] = (
    await client.query(
      'SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations" ORDER BY "started_at" ASC',
    )
  ).rows;
  const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
  if (failed) {
    throw new MigrationError(
      'P3009',
      `Migration ${failed.migration_name} failed earlier; resolve it before applying new migrations.`,
    );
  }
  const applied = new Set(
    rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name),
  );
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    const id = randomUUID();
    await client.query(
      'INSERT INTO "_prisma_migrations" ("id","checksum","started_at","migration_name") VALUES ($1,$2,$3,$4)',
      [id, migration.checksum, new Date(), migration.name],
    );
    try {
      await client.query(migration.sql);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await client.query('UPDATE "_prisma_migrations" SET "logs" = $1 WHERE "id" = $2', [message, id]);
      throw new MigrationError('P3018', `Migration ${migration.name} failed: ${message}`);
    }
    await client.query(
      'UPDATE "_prisma_migrations" SET "applied_steps_count" = ("applied_steps_count" + $1) WHERE "id" = $2',
      [1, id],
    );
    await client.query('UPDATE "_prisma_migrations" SET "finished_at" = $1 WHERE "id" = $2', [
      new Date(),
      id,
    ]);
    done.push(migration.name);
  }
  return done;
}
