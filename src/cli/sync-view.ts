// What `npm run sync` prints: a progress bar per collection (records so far and rate), then a summary table
// per district, and the exit code (0 success; 2 and the word "held" when the guard held a run; 1 on failure).
import cliProgress from 'cli-progress';
import type { RunResult, SyncProgress } from '../sync/sync-api';
import { SYNC_RECORD_TYPES } from '../sync/sync-api';

export type NamedResult = RunResult & { name: string };

export function exitCodeFor(results: NamedResult[]): number {
  if (results.some((r) => r.status === 'failed')) return 1;
  if (results.some((r) => r.status === 'held')) return 2;
  return 0;
}

export class SyncView {
  private readonly isTty = Boolean(process.stdout.isTTY);
  private readonly bars = new cliProgress.MultiBar(
    {
      format: ' {district} › {collection} {bar} {value} records, {rate}/s',
      barsize: 12,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_grey,
  );
  private readonly active = new Map<
    string,
    { bar: cliProgress.SingleBar; startedAt: number; payload: Record<string, string | number> }
  >();
  private names = new Map<string, string>();

  start(district: { districtId: string; name: string }): void {
    this.names.set(district.districtId, district.name);
    if (!this.isTty) console.log(`Syncing ${district.name}…`);
  }

  progress(districtId: string, p: SyncProgress): void {
    if (p.kind !== 'collection') return;
    const key = `${districtId}:${p.collection}`;
    if (!this.isTty) return void (p.done && console.log(`  ${p.collection}: ${p.records} records`));
    let entry = this.active.get(key);
    if (!entry) {
      const payload = {
        district: this.names.get(districtId) ?? '',
        collection: p.collection.padEnd(8),
        rate: 0,
      };
      const bar = this.bars.create(Math.max(p.records, 1), p.records, payload);
      entry = { bar, startedAt: Date.now(), payload };
      this.active.set(key, entry);
    }
    const seconds = Math.max((Date.now() - entry.startedAt) / 1000, 0.001);
    entry.payload.rate = Math.round(p.records / seconds);
    entry.bar.setTotal(Math.max(p.records, 1));
    entry.bar.update(p.records, entry.payload);
  }

  finish(results: NamedResult[]): string {
    this.bars.stop();
    return results.map(summarize).join('\n');
  }
}

export function summarize(result: NamedResult): string {
  const head = ['', 'created', 'updated', 'unchanged', 'archived', 'restored', 'errors'];
  const rows = [...SYNC_RECORD_TYPES, 'total' as const].map((type) => {
    const c = result.counts[type];
    return [type, c.created, c.updated, c.unchanged, c.archived, c.restored, c.errors].map(String);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const status =
    result.status === 'held'
      ? `HELD for review — nothing archived: would archive ${result.heldBecause ?? 'too much'}. ` +
        `An admin approves or discards run ${result.runId}.`
      : result.status === 'failed'
        ? `FAILED: ${result.error ?? 'unknown error'}`
        : result.status === 'dry_run'
          ? 'dry run: nothing was written (the counts are what a sync would do)'
          : result.status === 'skipped'
            ? (result.error ?? 'skipped')
            : result.status;
  return [`\n${result.name} (run ${result.runId}): ${status}`, line(head), ...rows.map(line)].join('\n');
}
