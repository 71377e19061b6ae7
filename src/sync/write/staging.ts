// The Clever ids of the records a full sync has seen (schools, terms, courses, users, sections), kept in the
// syncing process for the length of the run: the archive plan is computed from them at the end, and a section's
// members are checked against the users seen. One short string per record (about 5 MB at 50,000 students,
// 20 MB at 200,000); memberships are not kept (plan-memberships.ts). Why in memory rather than in a table:
// docs/decisions/0002-sync-mark-and-sweep.md.
import type { SyncRecordType } from '../plan/counts';

/** A membership's Clever key (events sync): `<section>|<user>` or `<user>|<school>` Clever ids. */
export const pairKey = (a: string, b: string): string => `${a}|${b}`;

export class SeenKeys {
  private readonly byType = new Map<SyncRecordType, Set<string>>();

  add(type: SyncRecordType, keys: Iterable<string>): void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    for (const key of keys) set.add(key);
  }

  /** Which of `keys` this run has seen. */
  among(type: SyncRecordType, keys: Iterable<string>): Set<string> {
    const set = this.byType.get(type);
    const found = new Set<string>();
    if (set) for (const key of keys) if (set.has(key)) found.add(key);
    return found;
  }

  /** Every key of `type` seen (an array parameter of the archive plan's anti-join). */
  all(type: SyncRecordType): string[] {
    return [...(this.byType.get(type) ?? [])];
  }
}
