// The CLI side of the app's local control channel (src/web/control-server.ts): sends the sync request and
// replays the app's NDJSON progress and results into the same view as a local run; sends an import's rows.
import path from 'node:path';
import type { Config } from '../config';
import { readDataDirLock } from '../db/data-dir-lock';
import { AppError } from '../errors';
import type { ImportLine } from '../matching/import-accounts';
import type { SyncProgress } from '../sync/sync-api';
import type { NamedResult } from './sync-view';

export interface RemoteListener {
  onStart(district: { districtId: string; name: string }): void;
  onProgress(districtId: string, progress: SyncProgress): void;
  onResult(result: NamedResult): void;
}

export interface AppControl {
  url: string;
  token: string;
  pid: number;
}

/**
 * The control channel of the app that holds the embedded database in DATA_DIR, when one runs: a command-line
 * tool must then hand its work over rather than open the directory a second time. Null on PostgreSQL or when
 * no app holds DATA_DIR.
 */
export function runningAppControl(config: Config): AppControl | null {
  const owner = config.database.url ? null : readDataDirLock(path.resolve(config.database.dataDir));
  if (!owner) return null;
  if (!owner.controlUrl || !owner.controlToken) {
    throw new AppError(
      'invalid_state',
      `The app (pid ${owner.pid}) is using ${config.database.dataDir} but is not ready yet; try again.`,
    );
  }
  return { url: owner.controlUrl, token: owner.controlToken, pid: owner.pid };
}

export async function syncViaApp(
  control: { url: string; token: string },
  request: { district?: string; all?: boolean; dryRun?: boolean; events?: boolean },
  listener: RemoteListener,
): Promise<NamedResult[]> {
  const response = await fetch(`${control.url}/sync`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${control.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok || !response.body)
    throw new Error(`the running app refused the sync (${response.status})`);
  const results: NamedResult[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
      buffer = buffer.slice(newline + 1);
      if (line.type === 'start') listener.onStart(line.district as { districtId: string; name: string });
      if (line.type === 'progress')
        listener.onProgress(String(line.districtId), line.progress as SyncProgress);
      if (line.type === 'result') {
        listener.onResult(line.result as NamedResult);
        results.push(line.result as NamedResult);
      }
      if (line.type === 'error') throw new Error(String(line.message));
    }
  }
  return results;
}

/** Imports pre-existing accounts through the running app (`npm run import-users` on the embedded database). */
export async function importViaApp(
  control: { url: string; token: string },
  records: Array<{ line: number; fields: Record<string, string | undefined> }>,
): Promise<ImportLine[]> {
  const response = await fetch(`${control.url}/import-users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${control.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ records }),
  });
  if (!response.ok) throw new Error(`the running app refused the import (${response.status})`);
  return ((await response.json()) as { results: ImportLine[] }).results;
}
