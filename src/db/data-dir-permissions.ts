// The embedded database's folder holds every student record, session and WAL page in plain files: only the
// account that runs the app may read or write it. The folder is created 0700, tightened at every start (files
// 0600, folders 0700), and the app refuses to start on a folder that another account owns or that other
// accounts may write to — its contents (including the lock file the command-line tools trust) could have been
// planted. PGlite creates its files 0666 whatever the umask: they are tightened once it is ready and again when
// it closes, and in between the 0700 folder keeps every other account out of them (docs/operations.md).
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

export function secureDataDir(dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  assertDataDirTrusted(dataDir);
  tightenDataDir(dataDir);
}

/** Throws unless `dataDir` belongs to this account and no other account may write to it. */
export function assertDataDirTrusted(dataDir: string): void {
  const stat = fs.statSync(dataDir);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new AppError(
      'data_dir_insecure',
      `DATA_DIR ${dataDir} belongs to another account (uid ${stat.uid}): run the app as its owner, or chown it to uid ${uid}.`,
    );
  }
  if (stat.mode & 0o022) {
    throw new AppError(
      'data_dir_insecure',
      `DATA_DIR ${dataDir} can be written by other accounts (mode ${(stat.mode & 0o777).toString(8)}): check its contents, then chmod 700 it.`,
    );
  }
}

/** Folders 0700, files without group or other bits. */
export function tightenDataDir(target: string): void {
  const stat = fs.lstatSync(target);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o700) fs.chmodSync(target, 0o700);
    for (const entry of fs.readdirSync(target)) tightenDataDir(path.join(target, entry));
  } else if (stat.mode & 0o077) {
    fs.chmodSync(target, stat.mode & 0o700);
  }
}
