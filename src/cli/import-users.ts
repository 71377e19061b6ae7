// `npm run import-users -- <file.csv>`: imports pre-existing (non-Clever) accounts so that they are matched at
// their owners' first Clever login. CSV header: email,first_name,last_name,role[,sis_id][,district_id].
// On the embedded database while the app runs, the rows are handed to the app (as `npm run sync` does).
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ConfigError, loadConfigFromEnvironment, type Config } from '../config';
import { openDatabase } from '../db/database';
import { deployMigrations } from '../db/run-migrations';
import { AppError } from '../errors';
import { IMPORT_HEADER, importUsers, type ImportLine } from '../matching/import-accounts';
import { importViaApp, runningAppControl } from './control-client';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npm run import-users -- <file.csv>');
    return 2;
  }
  const text = fs.readFileSync(file, 'utf8');
  const rows: string[][] = parse(text, {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  });
  const header = (rows[0] ?? []).map((h) => h.toLowerCase());
  const missing = IMPORT_HEADER.filter((h) => !header.includes(h));
  if (missing.length) {
    console.error(
      `${file}: the header must include ${IMPORT_HEADER.join(',')} (missing: ${missing.join(', ')})`,
    );
    return 2;
  }
  const records = rows.slice(1).map((cells, i) => ({
    line: i + 2,
    fields: Object.fromEntries(header.map((h, j) => [h, cells[j]])),
  }));

  const config = loadConfigFromEnvironment();
  const results = await importRecords(config, records);
  for (const r of results) {
    console.log(
      `line ${r.line}: ${r.email || '(no email)'} -> ${r.accountId ?? '-'} ${r.outcome}${r.message ? ` (${r.message})` : ''}`,
    );
  }
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  console.log(
    `\n${results.length} rows: ${count('created')} created, ${count('exists')} already waiting, ` +
      `${count('already_linked')} already linked, ${count('invalid')} skipped as invalid`,
  );
  return count('invalid') ? 1 : 0;
}

/** Through the running app when it holds the embedded database (DATA_DIR is never opened twice); else here. */
async function importRecords(
  config: Config,
  records: Parameters<typeof importUsers>[1],
): Promise<ImportLine[]> {
  const app = runningAppControl(config);
  if (app) {
    console.log(`Handing the import to the running app (pid ${app.pid}).`);
    return importViaApp(app, records);
  }
  const db = await openDatabase({
    databaseUrl: config.database.url,
    dataDir: config.database.dataDir,
    poolSize: 2,
  });
  try {
    await deployMigrations(db.pool);
    return await importUsers(db.prisma, records);
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof AppError) console.error(err.message);
    else console.error(`Import failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
