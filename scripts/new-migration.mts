// `npm run db:migrate -- --name <change> [--create-only]`: writes a new migration for the changes in
// prisma/schema.prisma, as `prisma migrate dev` would, without Prisma's downloadable engine binaries.
// It runs Prisma's own schema engine (the wasm build of the Rust code behind `prisma migrate`) on two
// throwaway in-memory PGlite databases: one replays the committed migrations, the other is the shadow
// database. The new migration is then applied to the app's database at its next start (or `npm run db:deploy`).
// Why: docs/decisions/0001-postgresql-prisma-migrations.md.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { createPglitePool } from '../src/db/pglite-pool.ts';

const root = path.resolve(import.meta.dirname, '..');
const schemaPath = path.join(root, 'prisma/schema.prisma');
const migrationsDir = path.join(root, 'prisma/migrations');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function loadEngine() {
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY = {
    set_message: (message: string) => console.error(`schema engine panic: ${message}`),
  };
  const require = createRequire(import.meta.url);
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasm = new WebAssembly.Module(
    fs.readFileSync(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm')),
  );
  const instance = new WebAssembly.Instance(wasm, {
    './schema_engine_bg.js': runtime,
  } as WebAssembly.Imports);
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return runtime;
}

// adapter-pg 7.10.0 cannot map Postgres' `char` type (OID 18), which the engine's catalog queries return
// and read as the Character column type (6): report those columns as text to the adapter, then as Character.
type Queryable = {
  performIO: (q: unknown) => Promise<{ fields: { dataTypeID: number }[] }>;
  queryRaw: (q: unknown) => Promise<{ columnTypes: number[] }>;
};
const CHAR_OID = 18;
const CHARACTER_COLUMN = 6;
function patchCharColumns(adapter: Queryable) {
  const performIO = adapter.performIO.bind(adapter);
  const queryRaw = adapter.queryRaw.bind(adapter);
  let charColumns: number[] = [];
  adapter.performIO = async (query) => {
    const result = await performIO(query);
    charColumns = [];
    (result?.fields ?? []).forEach((field, i) => {
      if (field.dataTypeID === CHAR_OID) {
        field.dataTypeID = 25;
        charColumns.push(i);
      }
    });
    return result;
  };
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns) result.columnTypes[i] = CHARACTER_COLUMN;
    return result;
  };
  return adapter;
}

function adapterFactory(main: PGlite, shadow: PGlite) {
  const connectTo = async (db: PGlite) => {
    const adapter = await new PrismaPg(createPglitePool(db)).connect();
    const patch = (q: object) => patchCharColumns(q as never);
    patch(adapter);
    // NOTE: adapter-pg's executeScript splits a script at every `;`, comments included, so a migration whose
    // comment has one fails to replay; PGlite runs a whole script as it is.
    (adapter as unknown as { executeScript: (script: string) => Promise<void> }).executeScript = async (
      script,
    ) => {
      await db.exec(script);
    };
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...a: Parameters<typeof startTransaction>) => {
      const tx = await startTransaction(...a);
      patch(tx);
      return tx;
    };
    return adapter;
  };
  return {
    provider: 'postgres' as const,
    adapterName: '@prisma/adapter-pg',
    connect: () => connectTo(main),
    connectToShadowDb: () => connectTo(shadow),
  };
}

function migrationsList() {
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: {
          tag: 'ok',
          value: fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8'),
        },
      },
    })),
  };
}

async function main() {
  const name = arg('name');
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('Usage: npm run db:migrate -- --name <snake_case_change_name>');
    process.exit(2);
  }
  const schema = fs.readFileSync(schemaPath, 'utf8');
  const runtime = await loadEngine();
  const main = new PGlite();
  const shadow = new PGlite();
  await Promise.all([main.waitReady, shadow.waitReady]);
  const engine = await runtime.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(adapterFactory(main, shadow) as never),
  );
  const filters = { externalTables: [], externalEnums: [] };
  const list = migrationsList();
  await engine.applyMigrations({ migrationsList: list, filters });
  // NOTE: the wasm engine's createMigration asks for a shadow database it cannot get through a driver adapter
  // here, so the change is computed as `migrate dev` does on a database without drift: the committed
  // migrations are replayed on a throwaway database, which is then diffed against the schema.
  const diff = await engine.diff({
    from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content: schema }], configDir: root },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
    script: true,
    exitCode: null,
    filters,
  });
  const script = (diff as { stdout?: string }).stdout ?? '';
  if (!script.trim() || /^-- This is an empty migration\.?\s*$/.test(script.trim())) {
    console.log('No changes: prisma/schema.prisma matches the committed migrations.');
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const dirName = `${stamp}_${name}`;
    const dir = path.join(migrationsDir, dirName);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), script);
    fs.writeFileSync(
      path.join(migrationsDir, 'migration_lock.toml'),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
    console.log(`Created prisma/migrations/${dirName}/migration.sql`);
    console.log('It is applied at the next `npm start` or `npm run db:deploy`. Review and commit it.');
  }
  engine.free();
  await Promise.all([main.close(), shadow.close()]);
  spawnSync(process.execPath, [path.join(root, 'scripts/prisma-generate.mjs')], { stdio: 'inherit' });
  // The engine leaves a 10 s advisory-lock timer behind, which would keep the process alive.
  process.exit(0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
