-- A user's or section's sync digest (src/db/sync-digest.ts) holds only while its memberships are as the full
-- sync that saved it left them. Any write to a membership — a login, an events sync, an archive, an admin
-- moving memberships to another account, a hand edit — forgets the digests of the memberships' parents, so
-- the next full sync compares those records in full. (The full sync saves a page's digests after writing its
-- memberships.) Statement-level: one DELETE per statement, however many rows it wrote.
CREATE FUNCTION "sync_digest_forget_users"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM "SyncDigest" d USING (SELECT DISTINCT "userId" FROM old_rows) o WHERE d."recordId" = o."userId";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    DELETE FROM "SyncDigest" d USING (SELECT DISTINCT "userId" FROM new_rows) n WHERE d."recordId" = n."userId";
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "sync_digest_forget_sections"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM "SyncDigest" d USING (SELECT DISTINCT "sectionId" FROM old_rows) o WHERE d."recordId" = o."sectionId";
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    DELETE FROM "SyncDigest" d USING (SELECT DISTINCT "sectionId" FROM new_rows) n WHERE d."recordId" = n."sectionId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "SchoolMembership_forget_digest_insert" AFTER INSERT ON "SchoolMembership"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sync_digest_forget_users"();
CREATE TRIGGER "SchoolMembership_forget_digest_update" AFTER UPDATE ON "SchoolMembership"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sync_digest_forget_users"();
CREATE TRIGGER "SchoolMembership_forget_digest_delete" AFTER DELETE ON "SchoolMembership"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "sync_digest_forget_users"();

CREATE TRIGGER "SectionMembership_forget_digest_insert" AFTER INSERT ON "SectionMembership"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sync_digest_forget_sections"();
CREATE TRIGGER "SectionMembership_forget_digest_update" AFTER UPDATE ON "SectionMembership"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "sync_digest_forget_sections"();
CREATE TRIGGER "SectionMembership_forget_digest_delete" AFTER DELETE ON "SectionMembership"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "sync_digest_forget_sections"();
