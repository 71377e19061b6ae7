// Two processes on one PGlite directory corrupt it silently
// (docs/decisions/0001-postgresql-prisma-migrations.md), so the embedded database takes a lock file first.
// The lock records the owner's pid and, once the app listens, a local control URL that command-line tools use
// to hand their work to the running app.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { assertDataDirTrusted } from './data-dir-permissions';

export interface DataDirLockInfo {
  pid: number;
  startedAt: string;
  controlUrl?: string;
  controlToken?: string;
}

export interface DataDirLock {
  path: string;
  update(info: Partial<DataDirLockInfo>): void;
  release(): void;
}

export function lockFilePath(dataDir: string): string {
  return path.join(dataDir, 'app.lock');
}

export function readDataDirLock(dataDir: string): DataDirLockInfo | null {
  if (!fs.existsSync(dataDir)) return null;
  // The lock names a control URL and token the command-line tools hand work to: only from a folder nobody
  // else can write (src/db/data-dir-permissions.ts).
  assertDataDirTrusted(dataDir);
  try {
    const info = JSON.parse(fs.readFileSync(lockFilePath(dataDir), 'utf8')) as DataDirLockInfo;
    return isAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = lockFilePath(dataDir);
  let info: DataDirLockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      let held = true;
      return {
        path: file,
        update(more) {
          if (!held) return;
          info = { ...info, ...more };
          fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
        },
        release() {
          if (!held) return;
          held = false;
          fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readDataDirLock(dataDir);
      if (owner && owner.pid !== process.pid) {
        throw new AppError(
          'data_dir_locked',
          `The embedded database in ${dataDir} is in use by another process (pid ${owner.pid}). ` +
            'Stop it first, or set DATABASE_URL to share a PostgreSQL server between processes.',
        );
      }
      // A stale lock left by a process that died: take it over.
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('data_dir_locked', `Could not lock ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
