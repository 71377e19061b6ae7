// Schools this app knew before Clever (made by hand, no Clever id) are adopted by the Clever school that
// matches exactly one of them by NCES id or state id, and only when no other Clever school claims the same
// one — the same rule as districts (schools by their public NCES or state ids, never by name). Login
// provisioning and the full sync both adopt through this function, so a school first seen at a login is adopted
// exactly as the sync would adopt it.
import { recordAudit } from '../db/audit';
import type { Sql } from '../db/sql';
import type { SchoolRow } from './map-clever';

export async function adoptLocalSchools(
  sql: Sql,
  props: { districtId: string; runId: string | null; source: 'sync' | 'events' | 'login' },
  schools: SchoolRow[],
): Promise<number> {
  const candidates = schools.filter((s) => s.ncesId || s.stateId);
  if (candidates.length === 0) return 0;
  const adopted = await sql(
    `WITH incoming AS (
       SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) AS i(cid, nces, state)
        WHERE NOT EXISTS (SELECT 1 FROM "School" x WHERE x."cleverId" = i.cid)
     ), matches AS (
       SELECT i.cid, s.id FROM incoming i JOIN "School" s
         ON s."districtId" = $1::uuid AND s."cleverId" IS NULL
        AND ((i.nces IS NOT NULL AND s."ncesId" = i.nces) OR (i.state IS NOT NULL AND s."stateId" = i.state))
     ), single AS (
       SELECT cid, (array_agg(id))[1] AS id FROM matches GROUP BY cid HAVING count(*) = 1
     )
     UPDATE "School" s SET "cleverId" = single.cid, "updatedAt" = now()
       FROM single
      WHERE s.id = single.id AND (SELECT count(*) FROM single o WHERE o.id = single.id) = 1
      RETURNING s.id::text AS id, s."cleverId" AS cid`,
    [
      props.districtId,
      candidates.map((s) => s.cleverId),
      candidates.map((s) => s.ncesId),
      candidates.map((s) => s.stateId),
    ],
  );
  await recordAudit(
    sql,
    { districtId: props.districtId, source: props.source, syncRunId: props.runId },
    adopted.map((r) => ({
      recordType: 'school',
      recordId: String(r.id),
      cleverId: String(r.cid),
      action: 'matched',
      reason: 'matched an existing school by NCES or state id',
    })),
  );
  return adopted.length;
}
