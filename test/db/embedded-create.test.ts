// A new DATA_DIR: the embedded database is created (PGlite's initdb) in a process of its own, so the app that
// opens it does not keep initdb's memory for as long as it runs; a folder that cannot be created says so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';

const MB = 1024 * 1024;

describe('creating the embedded database', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-create-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('leaves the opening process without the ~650 MB that initdb grows to, and the database works', async () => {
    const dataDir = path.join(root, 'data');
    const before = process.memoryUsage().rss;
    const db = await openDatabase({ dataDir });
    try {
      // In-process, initdb left this process ~650 MB larger; opening an existing folder costs ~100 MB.
      expect((process.memoryUsage().rss - before) / MB).toBeLessThan(300);
      await db.pool.query(`CREATE TABLE note (v text); INSERT INTO note VALUES ('kept')`);
    } finally {
      await db.close();
    }
    expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    const again = await openDatabase({ dataDir });
    try {
      expect((await again.pool.query('SELECT v FROM note')).rows).toEqual([{ v: 'kept' }]);
    } finally {
      await again.close();
    }
  });

  it('names the folder it could not create the database in', async () => {
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    fs.writeFileSync(path.join(dataDir, 'pglite'), 'not a folder');
    await expect(openDatabase({ dataDir })).rejects.toThrow(
      `Could not create the embedded database in ${path.join(dataDir, 'pglite')}`,
    );
  });
});
