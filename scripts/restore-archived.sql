-- Restores the records of one district that were archived since a point in time — optionally only those
-- one sync run archived — as the audit trail recorded them, and writes each restore to the audit trail
-- (action "restored", source "admin"). Records come back as the same rows: same ids, links and history.
--
--   psql "$DATABASE_URL" -v district=<District id or Clever district id> \
--        -v since='2026-03-01 02:00:00+00' -v run=<SyncRun id, or nothing for every run> \
--        -f scripts/restore-archived.sql
--
-- A record that Clever still does not share is archived again by the next full sync: fix the cause first
-- (see docs/operations.md, "Restoring a district's records").
\set ON_ERROR_STOP on
BEGIN;

CREATE TEMP TABLE restore_target ON COMMIT DROP AS
SELECT DISTINCT a."districtId", a."recordType", a."recordId", a."cleverId"
  FROM "AuditEvent" a
  JOIN "District" d ON d.id = a."districtId"
 WHERE (d.id::text = :'district' OR d."cleverId" = :'district')
   AND a.action = 'archived'
   AND a."createdAt" >= :'since'::timestamptz
   AND (:'run' = '' OR a."syncRunId"::text = :'run');

DO $$
DECLARE
  target record;
BEGIN
  FOR target IN
    SELECT * FROM (VALUES
      ('school', 'School'), ('term', 'Term'), ('course', 'Course'), ('section', 'Section'), ('user', 'User'),
      ('school_membership', 'SchoolMembership'), ('section_membership', 'SectionMembership'),
      ('membership', 'SectionMembership')  -- a login archives a section membership under this name
    ) AS m(record_type, table_name)
  LOOP
    EXECUTE format(
      'WITH restored AS (
         UPDATE %I t SET "archivedAt" = NULL, "archiveReason" = NULL, "updatedAt" = now()
           FROM restore_target r
          WHERE r."recordType" = %L AND t.id = r."recordId" AND t."archivedAt" IS NOT NULL
          RETURNING t.id, r."districtId", r."cleverId")
       INSERT INTO "AuditEvent" ("districtId", "recordType", "recordId", "cleverId", action, source, reason)
       SELECT "districtId", %L, id, "cleverId", ''restored'', ''admin'', ''restored from the audit trail''
         FROM restored',
      target.table_name, target.record_type, target.record_type);
  END LOOP;
END $$;

SELECT "recordType" AS "record type", count(*) AS restored
  FROM "AuditEvent"
 WHERE action = 'restored' AND source = 'admin' AND reason = 'restored from the audit trail'
   AND "createdAt" = now()::timestamptz(3)
 GROUP BY "recordType" ORDER BY "recordType";

COMMIT;
