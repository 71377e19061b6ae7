import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createPglitePool } from '../../src/db/pglite-pool';
import { checksumOf, deployMigrations, migrationStatus, readMigrations } from '../../src/db/run-migrations';
import { backend } from '../helpers/db';

// An empty database of the backend under test.
async function emptyPool(): Promise<{ pool: pg.Pool; close: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `cp_test_empty_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    return {
      pool,
      close: async () => {
        await pool.end();
        const dropper = new pg.Client({ connectionString: serverUrl });
        await dropper.connect();
        await dropper.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await dropper.end();
      },
    };
  }
  const pglite = new PGlite();
  const pool = createPglitePool(pglite);
  return { pool, close: async () => (await pool.end(), await pglite.close()) };
}

describe(`migrations on ${backend}`, () => {
  it('applies every migration to an empty database and records them as prisma migrate deploy does', async () => {
    const { pool, close } = await emptyPool();
    try {
      const applied = await deployMigrations(pool);
      const migrations = readMigrations();
      expect(applied).toEqual(migrations.map((m) => m.name));

      const rows = (
        await pool.query(
          'SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at',
        )
      ).rows;
      expect(rows).toHaveLength(migrations.length);
      rows.forEach((row, i) => {
        expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(row.migration_name).toBe(migrations[i].name);
        expect(row.checksum).toBe(checksumOf(migrations[i].sql));
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.logs).toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      });

      const columns = (
        await pool.query(
          `SELECT column_name, data_type, is_nullable FROM information_schema.columns
           WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
        )
      ).rows.map((c) => `${c.column_name}:${c.data_type}:${c.is_nullable}`);
      expect(columns).toEqual([
        'id:character varying:NO',
        'checksum:character varying:NO',
        'finished_at:timestamp with time zone:YES',
        'migration_name:character varying:NO',
        'logs:text:YES',
        'rolled_back_at:timestamp with time zone:YES',
        'started_at:timestamp with time zone:NO',
        'applied_steps_count:integer:NO',
      ]);

      expect(await deployMigrations(pool)).toEqual([]);
      expect(await migrationStatus(pool)).toEqual({
        applied: migrations.map((m) => m.name),
        pending: [],
        failed: [],
        edited: [],
      });
    } finally {
      await close();
    }
  });

  it('records a failing migration as failed and refuses to go on, like Prisma', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    fs.mkdirSync(path.join(dir, '20260101000000_ok'));
    fs.writeFileSync(path.join(dir, '20260101000000_ok', 'migration.sql'), 'CREATE TABLE "a" (id int);');
    fs.mkdirSync(path.join(dir, '20260102000000_broken'));
    fs.writeFileSync(
      path.join(dir, '20260102000000_broken', 'migration.sql'),
      'CREATE TABLE "b" (id int);\nSELECT * FROM no_such_table;',
    );
    const { pool, close } = await emptyPool();
    try {
      await expect(deployMigrations(pool, dir)).rejects.toMatchObject({ code: 'P3018' });
      const failed = (
        await pool.query(
          `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '20260102000000_broken'`,
        )
      ).rows[0];
      expect(failed.finished_at).toBeNull();
      expect(failed.logs).toMatch(/no_such_table/);
      // The failed script ran in one transaction: its first statement did not stay behind.
      expect((await pool.query(`SELECT to_regclass('"b"') AS t`)).rows[0].t).toBeNull();
      await expect(deployMigrations(pool, dir)).rejects.toMatchObject({ code: 'P3009' });
    } finally {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
