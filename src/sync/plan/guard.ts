// The mass-change guard: a run that would archive more than the district's threshold of any record type is
// held — nothing archived — until an admin approves or discards it.
// NOTE: Clever holds its own syncs at >10% deletions during the school year and relaxes that at rollover;
// sharing changes bypass Clever's hold, so apps must guard themselves
// (https://dev.clever.com/docs/data-changes).
import type { SyncRecordType } from './counts';

export interface ArchiveStats {
  /**
   * Active rows of this type in the district before the sweep; null when nothing is to be archived (the guard
   * needs no share of nothing, and counting 150k memberships for it was a tenth of a no-change sync's plan).
   */
  active: number | null;
  /** Active rows the sweep would archive. */
  toArchive: number;
}

/** A plan statement's row as ArchiveStats (`active` null where it was not counted). */
export function statsOf(row: Record<string, unknown> | undefined): ArchiveStats {
  return { active: row?.active == null ? null : Number(row.active), toArchive: Number(row?.toArchive ?? 0) };
}

export interface GuardBreach {
  type: SyncRecordType;
  toArchive: number;
  active: number;
  share: number;
}

export interface GuardDecision {
  isHeld: boolean;
  threshold: number;
  isRollover: boolean;
  breaches: GuardBreach[];
  /** Types whose archives were allowed past the threshold because the district is in rollover. */
  exempted: SyncRecordType[];
}

/**
 * At rollover last year's terms and sections (and their memberships) leave together, and students change
 * schools: those types are not held while Clever reports the district in rollover. Users and schools are
 * always guarded — a rollover does not unshare half the students.
 */
export const ROLLOVER_EXEMPT: readonly SyncRecordType[] = [
  'term',
  'course',
  'section',
  'section_membership',
  'school_membership',
];

export function evaluateGuard(input: {
  stats: Partial<Record<SyncRecordType, ArchiveStats>>;
  threshold: number;
  isRollover: boolean;
}): GuardDecision {
  const breaches: GuardBreach[] = [];
  const exempted: SyncRecordType[] = [];
  for (const [type, stat] of Object.entries(input.stats) as Array<[SyncRecordType, ArchiveStats]>) {
    if (stat.toArchive === 0) continue;
    // Counted whenever something is to be archived; were it missing, the share counts as all (held).
    const active = stat.active ?? stat.toArchive;
    if (stat.toArchive <= input.threshold * active) continue;
    if (input.isRollover && ROLLOVER_EXEMPT.includes(type)) {
      exempted.push(type);
      continue;
    }
    breaches.push({
      type,
      toArchive: stat.toArchive,
      active,
      share: stat.toArchive / active,
    });
  }
  return {
    isHeld: breaches.length > 0,
    threshold: input.threshold,
    isRollover: input.isRollover,
    breaches,
    exempted,
  };
}

/**
 * NOTE: Clever shows last year's data with `state: "paused"` during rollover, between `pause_start` and
 * `pause_end` (https://dev.clever.com/docs/districts). Either signal counts.
 */
export function isInRollover(
  district: { cleverState: string | null; pauseStart: Date | string | null; pauseEnd: Date | string | null },
  now: Date,
): boolean {
  if (district.cleverState === 'paused') return true;
  if (!district.pauseStart) return false;
  const start = new Date(district.pauseStart).getTime();
  const end = district.pauseEnd ? new Date(district.pauseEnd).getTime() : Infinity;
  return start <= now.getTime() && now.getTime() <= end;
}

/** The district's own threshold when an admin set one, else MASS_CHANGE_THRESHOLD. */
export function thresholdFor(districtValue: number | null | undefined, configDefault: number): number {
  return districtValue ?? configDefault;
}

export function describeBreaches(decision: GuardDecision): string {
  return decision.breaches
    .map((b) => `${b.toArchive} of ${b.active} ${b.type}s (${Math.round(b.share * 100)}%)`)
    .join(', ');
}
