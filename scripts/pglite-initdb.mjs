// Creates the embedded database (PGlite's initdb) in the folder given as the only argument, then exits.
// src/db/database.ts runs it in a process of its own the first time a DATA_DIR is opened: initdb grows
// PGlite's WebAssembly memory to ~300 MB, which a process never gives back, so an app that created its
// database in-process kept ~650 MB of RSS for as long as it ran (docs/operations.md, Memory).
import { PGlite } from '@electric-sql/pglite';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/pglite-initdb.mjs <folder>');
  process.exit(64);
}
try {
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  await pglite.close();
} catch (err) {
  // One line for the app's error message (PGlite's file-system errors carry only an errno).
  const e = /** @type {{ message?: string, name?: string, errno?: number, code?: string }} */ (err);
  console.error(e?.message || [e?.name, e?.code, e?.errno && `errno ${e.errno}`].filter(Boolean).join(' '));
  process.exit(1);
}
