// After every collection was fetched completely, the archive plan is computed in the database: every row of
// the district this sync owns that is active, was not seen by the run, and was not written by anyone since the
// run started (a login meanwhile) becomes a "SyncPlanItem". Counted per type for the guard before anything
// is archived. Memberships are planned page by page as their parents are written (plan-memberships.ts).
import type { Sql } from '../../db/sql';
import { ARCHIVE_TARGETS } from '../../db/archive-targets';
import { planMembershipsAtEnd } from './plan-memberships';
import type { SyncRecordType } from '../plan/counts';
import { statsOf, type ArchiveStats } from '../plan/guard';
import type { SeenKeys } from '../write/staging';

export async function planArchives(
  sql: Sql,
  props: { runId: string; districtId: string; seen: SeenKeys },
): Promise<Record<SyncRecordType, ArchiveStats>> {
  if (!props.districtId || !props.runId) throw new Error('planArchives needs a run and a district');
  const stats = {} as Record<SyncRecordType, ArchiveStats>;
  // The keys seen arrive as one array parameter; with nested loops the planner may rescan them for every row
  // of the table: O(rows × keys), minutes for a 50k-student district. Hash anti-joins keep each statement
  // linear (docs/benchmarks.md, B3).
  // Hash tables of a whole district's keys: in memory rather than spilled to disk in batches.
  await sql(`SELECT set_config('enable_nestloop', 'off', true), set_config('work_mem', '64MB', true)`);
  // The rows of each table the run did not see, by the table's record type: a membership's parent (a user, a
  // section) is planned before its memberships, which reuse its anti-join rather than repeat it.
  const unseenIds = new Map<SyncRecordType, string[]>();
  for (const target of ARCHIVE_TARGETS) {
    if (target.parent) {
      const parentIds = unseenIds.get(target.parent.type);
      if (!parentIds) throw new Error(`${target.type} is planned before its parent ${target.parent.type}`);
      stats[target.type] = await planMembershipsAtEnd(sql, target, parentIds, props);
      continue;
    }
    const [planned] = await sql(
      `WITH unseen AS MATERIALIZED (
         SELECT t.* FROM ${target.from}
          WHERE t."districtId" = $2::uuid
            AND NOT EXISTS (SELECT 1 FROM unnest($4::text[]) AS s(key) WHERE s.key = ${target.key})
       ), planned AS (
         INSERT INTO "SyncPlanItem" ("runId", "recordType", "recordId", "cleverId", label, action, reason)
         SELECT $1::uuid, '${target.type}', t.id, ${target.key}, ${target.label}, 'archive', $3
           FROM unseen t CROSS JOIN "SyncRun" r
          WHERE r.id = $1::uuid AND ${target.scope} AND t."archivedAt" IS NULL
            AND (t."lastSeenAt" IS NULL OR t."lastSeenAt" < r."startedAt")
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM planned)::int AS "toArchive",
              CASE WHEN EXISTS (SELECT 1 FROM planned)
                   THEN (SELECT count(*) FROM ${target.from} WHERE ${target.scope} AND t."archivedAt" IS NULL)::int
              END AS active,
              (SELECT coalesce(array_agg(t.id::text), '{}') FROM unseen t WHERE ${target.key} IS NOT NULL) AS "unseenIds"`,
      [props.runId, props.districtId, target.reason, props.seen.all(target.type)],
    );
    stats[target.type] = statsOf(planned);
    unseenIds.set(target.type, (planned?.unseenIds as string[] | undefined) ?? []);
  }
  return stats;
}
