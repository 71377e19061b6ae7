// What a sync run did, per record type and in total: the numbers stored in SyncRun.counts and shown by the
// CLI's summary table and the admin pages.
import { SYNC_RECORD_TYPES, type SyncRecordType } from '../../db/record-types';
import type { Outcome } from '../../db/upsert-rows';

export { SYNC_RECORD_TYPES, type SyncRecordType } from '../../db/record-types';

export const COUNT_KEYS = ['created', 'updated', 'unchanged', 'archived', 'restored', 'errors'] as const;
export type CountKey = (typeof COUNT_KEYS)[number];
export type TypeCounts = Record<CountKey, number>;
export type RunCounts = Record<SyncRecordType | 'total', TypeCounts>;

const zero = (): TypeCounts => ({
  created: 0,
  updated: 0,
  unchanged: 0,
  archived: 0,
  restored: 0,
  errors: 0,
});

export function emptyRunCounts(): RunCounts {
  const counts = { total: zero() } as RunCounts;
  for (const type of SYNC_RECORD_TYPES) counts[type] = zero();
  return counts;
}

export function addCount(counts: RunCounts, type: SyncRecordType, key: CountKey, n = 1): void {
  counts[type][key] += n;
  counts.total[key] += n;
}

export function tallyOutcomes(
  counts: RunCounts,
  type: SyncRecordType,
  results: ReadonlyArray<{ outcome: Outcome }>,
): void {
  for (const r of results) addCount(counts, type, r.outcome);
}

export function mergeCounts(into: RunCounts, more: RunCounts): void {
  for (const type of [...SYNC_RECORD_TYPES, 'total'] as const) {
    for (const key of COUNT_KEYS) into[type][key] += more[type][key];
  }
}

/** Counts read back from SyncRun.counts (JSON), tolerant of runs recorded before a type existed. */
export function parseRunCounts(value: unknown): RunCounts {
  const counts = emptyRunCounts();
  if (!value || typeof value !== 'object') return counts;
  for (const type of [...SYNC_RECORD_TYPES, 'total'] as const) {
    const row = (value as Record<string, Partial<TypeCounts>>)[type];
    for (const key of COUNT_KEYS) counts[type][key] = Number(row?.[key] ?? 0);
  }
  return counts;
}

/** Records whose rows this run wrote (anything but unchanged). */
export function writtenCount(counts: RunCounts): number {
  const t = counts.total;
  return t.created + t.updated + t.archived + t.restored;
}
