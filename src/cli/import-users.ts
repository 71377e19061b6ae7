// `npm run import-users -- <file.csv>`: imports pre-existing (non-Clever) accounts so that they are matched at
// their owners' first Clever login. CSV header: email,first_name,last_name,role[,sis_id][,district_id].
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { ConfigError, loadConfigFromEnvironment } from '../config';
import { openDatabase } from '../db/database';
import { deployMigrations } from '../db/migrate';
import { AppError } from '../errors';
import { IMPORT_HEADER, importUsers } from '../provisioning/import-users';

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
  const db = await openDatabase({
    databaseUrl: config.database.url,
    dataDir: config.database.dataDir,
    poolSize: 2,
  });
  try {
    await deployMigrations(db.pool);
    const results = await importUsers(db.prisma, records);
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
