// The embedded database's folder is readable and writable by the app's own account only: created 0700,
// tightened at every start (WAL included), and refused when another account owns it or may write to it. A new
// folder's database is created (PGlite's initdb) in a process of its own, so the app that opens it does not
// keep initdb's memory for as long as it runs; a folder it cannot be created in is named.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';

const MB = 1024 * 1024;
const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

function everything(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((entry) => path.join(dir, entry));
}

describe('the embedded database folder (DATA_DIR)', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-datadir-'));
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

  it('is created 0700 (closed to other accounts), and leaves no file — the WAL included — readable by them', async () => {
    const dataDir = path.join(root, 'data');
    const db = await openDatabase({ dataDir });
    try {
      await db.pool.query(`CREATE TABLE canary (v text); INSERT INTO canary VALUES ('student@example.org')`);
      await db.pool.query('CHECKPOINT');
    } finally {
      await db.close();
    }
    expect(modeOf(dataDir)).toBe(0o700);
    const open = everything(dataDir).filter((p) => fs.lstatSync(p).mode & 0o077);
    expect(open).toEqual([]);
  });

  it('tightens a folder left open by an earlier version at the next start', async () => {
    const dataDir = path.join(root, 'data');
    const first = await openDatabase({ dataDir });
    await first.close();
    fs.chmodSync(dataDir, 0o755);
    const wal = everything(dataDir).find((p) => fs.statSync(p).isFile())!;
    fs.chmodSync(wal, 0o644);
    const again = await openDatabase({ dataDir });
    await again.close();
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(wal) & 0o077).toBe(0);
  });

  it('refuses to start on a folder other accounts may write to', async () => {
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    fs.chmodSync(dataDir, 0o777);
    await expect(openDatabase({ dataDir })).rejects.toMatchObject({ code: 'data_dir_insecure' });
    expect(fs.existsSync(path.join(dataDir, 'app.lock'))).toBe(false);
  });

  it('refuses to start on a folder another account owns', async () => {
    if (process.getuid?.() !== 0) return; // only root can give a folder away (CI runs as root)
    const dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir, { mode: 0o700 });
    fs.chownSync(dataDir, 65534, 65534); // nobody
    await expect(openDatabase({ dataDir })).rejects.toMatchObject({ code: 'data_dir_insecure' });
  });
});
