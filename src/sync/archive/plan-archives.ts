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
  for (const target of ARCHIVE_TARGETS) {
    if (target.parent) {
      stats[target.type] = await planMembershipsAtEnd(sql, target, props);
      continue;
    }
    const [planned] = await sql(
      `WITH planned AS (
         INSERT INTO "SyncPlanItem" ("runId", "recordType", "recordId", "cleverId", label, action, reason)
         SELECT $1::uuid, '${target.type}', t.id, ${target.key}, ${target.label}, 'archive', $3
           FROM ${target.from} CROSS JOIN "SyncRun" r
          WHERE r.id = $1::uuid AND ${target.scope} AND t."archivedAt" IS NULL
            AND (t."lastSeenAt" IS NULL OR t."lastSeenAt" < r."startedAt")
            AND NOT EXISTS (SELECT 1 FROM unnest($4::text[]) AS s(key) WHERE s.key = ${target.key})
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM planned)::int AS "toArchive",
              CASE WHEN EXISTS (SELECT 1 FROM planned)
                   THEN (SELECT count(*) FROM ${target.from} WHERE ${target.scope} AND t."archivedAt" IS NULL)::int
              END AS active`,
      [props.runId, props.districtId, target.reason, props.seen.all(target.type)],
    );
    stats[target.type] = statsOf(planned);
  }
  return stats;
}
