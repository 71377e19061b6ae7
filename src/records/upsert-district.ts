// Creates or updates a district by Clever id. A district this app knew before Clever (created by hand, with
// no Clever id) is adopted when exactly one matches by NCES id or MDR number (clever-api.md §7.4).
import { upsertRows, type UpsertResult } from '../db/upsert-rows';
import type { Sql } from '../db/sql';
import type { DistrictRow } from './map-clever';
import { DISTRICT_TABLE } from '../db/tables';

export async function upsertDistrict(
  sql: Sql,
  row: DistrictRow,
): Promise<UpsertResult & { adopted: boolean }> {
  const adopted = await sql(
    `WITH candidates AS (
       SELECT id FROM "District"
        WHERE "cleverId" IS NULL AND (("ncesId" = $2 AND $2 IS NOT NULL) OR ("mdrNumber" = $3 AND $3 IS NOT NULL))
     )
     UPDATE "District" d SET "cleverId" = $1, "updatedAt" = now()
      WHERE d.id IN (SELECT id FROM candidates) AND (SELECT count(*) FROM candidates) = 1
        AND NOT EXISTS (SELECT 1 FROM "District" x WHERE x."cleverId" = $1)
      RETURNING d.id::text AS id`,
    [row.cleverId, row.ncesId, row.mdrNumber],
  );
  const [result] = await upsertRows(sql, DISTRICT_TABLE, [{ ...row, connection: 'connected' }]);
  return { ...result, adopted: adopted.length > 0 };
}
