// A parent's Clever record lists every one of its memberships: a user their schools, a section its teachers
// and students. So once a page of parents is written, the memberships they still have here but no longer list
// are known, and they become archive plan items right away — rather than staging every membership key of the
// district (209k at 50k students) to find them at the end, which took about a fifth of a no-change sync
// (docs/benchmarks.md). Memberships of parents Clever no longer shares at all are planned at the end
// (planArchives), and the plan is only ever applied after a complete read.
import type { Sql } from '../../db/sql';
import { SCHOOL_MEMBERSHIP_TABLE, SECTION_MEMBERSHIP_TABLE } from '../../db/tables';
import { ARCHIVE_TARGETS, type ArchiveTarget } from '../../db/archive-targets';
import type { UpsertResult } from '../../db/upsert-rows';
import { writeRows, type WriteContext } from '../write/write-context';
import { statsOf, type ArchiveStats } from '../plan/guard';

type MembershipType = 'school_membership' | 'section_membership';

const targetOf = (type: MembershipType): ArchiveTarget & { parent: NonNullable<ArchiveTarget['parent']> } => {
  const target = ARCHIVE_TARGETS.find((t) => t.type === type);
  if (!target?.parent) throw new Error(`${type} is not a membership type`);
  return target as ArchiveTarget & { parent: NonNullable<ArchiveTarget['parent']> };
};

const TABLES = { school_membership: SCHOOL_MEMBERSHIP_TABLE, section_membership: SECTION_MEMBERSHIP_TABLE };

/**
 * Writes a page's memberships (`rows`), then plans the archive of the other active memberships of its parents
 * (`parents`: what writing the users or sections of this page did). A parent this page created has no
 * memberships yet: its rows are inserted without a lookup, and it has none to archive.
 */
export async function writeMemberships(
  w: WriteContext,
  type: MembershipType,
  rows: Array<Record<string, unknown>>,
  parents: UpsertResult[],
): Promise<void> {
  const column = targetOf(type).parent.column;
  const created = new Set(parents.filter((p) => p.outcome === 'created' && p.id).map((p) => p.id));
  const written = await writeRows(w, type, TABLES[type], rows, {
    knownAbsent: (row) => created.has(String(row[column])),
  });
  await planDroppedMemberships(
    w,
    type,
    parents.filter((p) => p.id && !created.has(p.id)).map((p) => p.id),
    written.map((r) => r.id).filter(Boolean),
  );
}

/**
 * Plans the archive of the active memberships of `parentIds` that are not among `keptIds` (the memberships this
 * page wrote or found unchanged), unless written since the run started.
 */
async function planDroppedMemberships(
  w: WriteContext,
  type: MembershipType,
  parentIds: string[],
  keptIds: string[],
): Promise<void> {
  if (w.mode === 'events' || parentIds.length === 0) return;
  const target = targetOf(type);
  // The page's memberships first, by the parent's index (whatever the planner's statistics say), then the
  // district scope and labels for the few dropped ones.
  await w.sql(
    `WITH dropped AS MATERIALIZED (
       SELECT t.id FROM "${target.table}" t
        WHERE t."${target.parent.column}" = ANY($4::uuid[]) AND t."archivedAt" IS NULL AND NOT (t.id = ANY($5::uuid[]))
     )
     INSERT INTO "SyncPlanItem" ("runId", "recordType", "recordId", "cleverId", label, action, reason)
     SELECT $1::uuid, '${type}', t.id, ${target.key}, ${target.label}, 'archive', $3
       FROM dropped d JOIN ${target.from} ON t.id = d.id CROSS JOIN "SyncRun" r
      WHERE r.id = $1::uuid AND ${target.scope}
        AND (t."lastSeenAt" IS NULL OR t."lastSeenAt" < r."startedAt")`,
    [w.runId, w.districtId, target.reason, parentIds, keptIds],
  );
}

/**
 * At the end of a complete read: drops plan items of memberships written since they were planned (a login
 * meanwhile), plans the memberships of `unseenParentIds` (the district's parents, with a Clever id, that this run
 * never saw: planArchives found them), and counts both for the guard.
 */
export async function planMembershipsAtEnd(
  sql: Sql,
  target: ArchiveTarget,
  unseenParentIds: string[],
  props: { runId: string; districtId: string },
): Promise<ArchiveStats> {
  const parent = target.parent!;
  await sql(
    `DELETE FROM "SyncPlanItem" p USING "${target.table}" t, "SyncRun" r
      WHERE p."runId" = $1::uuid AND r.id = $1::uuid AND p."recordType" = '${target.type}' AND p.action = 'archive'
        AND t.id = p."recordId" AND (t."archivedAt" IS NOT NULL OR t."lastSeenAt" >= r."startedAt")`,
    [props.runId],
  );
  // Their memberships by the parent's index, named for the plan (nested loops: few rows).
  if (unseenParentIds.length > 0) {
    await sql(`SELECT set_config('enable_nestloop', 'on', true)`);
    await sql(
      `INSERT INTO "SyncPlanItem" ("runId", "recordType", "recordId", "cleverId", label, action, reason)
       SELECT $1::uuid, '${target.type}', t.id, ${target.key}, ${target.label}, 'archive', $3
         FROM ${target.from} CROSS JOIN "SyncRun" r
        WHERE r.id = $1::uuid AND ${target.scope} AND t."archivedAt" IS NULL
          AND t."${parent.column}" = ANY ($4::uuid[])
          AND (t."lastSeenAt" IS NULL OR t."lastSeenAt" < r."startedAt")`,
      [props.runId, props.districtId, target.reason, unseenParentIds],
    );
    await sql(`SELECT set_config('enable_nestloop', 'off', true)`);
  }
  const [row] = await sql(
    `WITH planned AS (SELECT count(*)::int AS n FROM "SyncPlanItem"
                       WHERE "runId" = $1::uuid AND "recordType" = '${target.type}' AND action = 'archive')
     SELECT n AS "toArchive",
            CASE WHEN n > 0
                 THEN (SELECT count(*) FROM ${target.from} WHERE ${target.scope} AND t."archivedAt" IS NULL)::int
            END AS active
       FROM planned`,
    [props.runId, props.districtId],
  );
  return statsOf(row);
}
