// Recognising an unchanged Clever record with one comparison. After a full sync writes a user or a section, it
// keeps a hash of what it wrote — the row's synced columns and the memberships its Clever record lists — with
// the row's `updatedAt` ("SyncDigest"). The next full sync hashes the record it reads the same way: a row
// whose hash matches, that nobody wrote since (same `updatedAt`), that is active and still has exactly the
// count of active memberships kept with the digest, is left alone, memberships included, without comparing
// column by column. Anything else — a login or an events sync wrote the row, an admin archived a membership,
// the digest is missing — takes the usual path (src/db/upsert-rows.ts), so a digest can only save work, never
// skip a write. For users the digest also keeps the hash of the Clever record as sent (`source`): one that
// matches is not even validated again (src/sync/write/write-users.ts).
import { hash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Sql } from './sql';

export interface DigestTable {
  table: 'User' | 'Section';
  /** The membership table whose rows the record lists, and its column naming the record. */
  memberships: { table: 'SchoolMembership' | 'SectionMembership'; column: 'userId' | 'sectionId' };
  /** Rows a sync may write (`t` is the table). */
  writable: string;
}

export const USER_DIGEST: DigestTable = {
  table: 'User',
  memberships: { table: 'SchoolMembership', column: 'userId' },
  writable: `t."managedBy" = 'clever'`,
};

export const SECTION_DIGEST: DigestTable = {
  table: 'Section',
  memberships: { table: 'SectionMembership', column: 'sectionId' },
  writable: 'true',
};

export interface Digested {
  cleverId: string;
  hash: string;
  /** Active memberships the row has when it is in step (those this record lists). */
  memberships: number;
  /** The hash of the Clever record as sent (users: see sourceDigestOf), when there is one. */
  source?: string;
}

/**
 * A stable hash of what a sync writes for one record: the JSON of `parts` (the same Clever record maps to the
 * same parts every time). Callers pass values rather than objects (`Object.values` of a mapped row: its keys
 * are the same for every record) and no replacer function: serialising and hashing ~60k records is most of
 * what a no-change sync adds to reading Clever. `hash()` is the one-shot form of `createHash()`.
 */
export function digestOf(parts: unknown[]): string {
  return hash('sha1', JSON.stringify(parts), 'base64');
}

/**
 * The hash of a Clever record exactly as sent (its JSON, keys in Clever's order), salted with whatever else
 * decides what is written for it (see write-users.ts): a user whose record hashes the same as last time, on a
 * row in step, is not even validated again. A record whose text changed but maps to the same row is caught by
 * the row's hash instead (a re-ordered key, a field this app does not keep).
 */
export function sourceDigestOf(salt: string, raw: unknown): string {
  return hash('sha1', salt + JSON.stringify(raw), 'base64');
}

/**
 * A fingerprint of the code of `modules` (their text, found with `resolve`): a record's source digest is only as
 * good as the code that validated and mapped it, so any change to that code — a new release — makes the next
 * full sync compare every record again (writing only what really changed). A module that cannot be found or
 * read (a bundled build has no separate files) gives a fingerprint of its own every time: nothing is skipped
 * by source then, which is slower and never wrong. Compiled (dist/) and TypeScript sources differ: a worker on
 * each would take turns comparing.
 */
export function codeFingerprint(modules: string[], resolve: (module: string) => string): string {
  const texts = modules.map((module) => {
    try {
      return fs.readFileSync(resolve(module), 'utf8');
    } catch {
      return randomUUID();
    }
  });
  return hash('sha1', JSON.stringify(texts), 'base64');
}

/** A record the district has, with its digest (if any) and whether its row is as the last sync left it. */
export interface KnownRecord {
  id: string;
  hash: string | null;
  source: string | null;
  /**
   * Nobody wrote the row since its digest was saved, it is active and writable, and it has exactly the
   * digest's count of active memberships. Whether Clever's record is the same is for the caller to compare.
   */
  inStep: boolean;
  memberships: number;
}

/** The records of `cleverIds` the district has, by Clever id, with their digests: one SELECT. */
export async function lookUpDigests(
  sql: Sql,
  spec: DigestTable,
  districtId: string,
  cleverIds: string[],
): Promise<Map<string, KnownRecord>> {
  if (cleverIds.length === 0) return new Map();
  const m = spec.memberships;
  const rows = await sql(
    `SELECT t."cleverId", t.id::text AS id, d.hash, d.source, d.memberships,
            CASE WHEN d.memberships IS NOT NULL AND d."rowUpdatedAt" = t."updatedAt" AND t."archivedAt" IS NULL
                      AND ${spec.writable}
                 THEN (SELECT count(*) FROM "${m.table}" x
                        WHERE x."${m.column}" = t.id AND x."archivedAt" IS NULL) = d.memberships
                 ELSE false END AS "inStep"
       FROM "${spec.table}" t
       LEFT JOIN "SyncDigest" d ON d."recordId" = t.id
      WHERE t."cleverId" = ANY($2::text[]) AND t."districtId" = $1::uuid`,
    [districtId, cleverIds],
  );
  return new Map(
    rows.map((r) => [
      String(r.cleverId),
      {
        id: String(r.id),
        hash: r.hash == null ? null : String(r.hash),
        source: r.source == null ? null : String(r.source),
        inStep: r.inStep === true,
        memberships: Number(r.memberships ?? 0),
      },
    ]),
  );
}

/** Whether any record of `spec.table` in the district has a digest (before its first full sync, none). */
export async function hasDigests(sql: Sql, spec: DigestTable, districtId: string): Promise<boolean> {
  const [row] = await sql(
    `SELECT EXISTS (SELECT 1 FROM "${spec.table}" t JOIN "SyncDigest" d ON d."recordId" = t.id
                     WHERE t."districtId" = $1::uuid) AS found`,
    [districtId],
  );
  return Boolean(row?.found);
}

/**
 * Forgets the digests of `recordIds` (users, sections), so the next full sync compares them column by column:
 * for writes that move a record's memberships to another row (an admin linking a reviewed account).
 */
export async function forgetDigests(sql: Sql, recordIds: string[]): Promise<void> {
  if (recordIds.length === 0) return;
  await sql(`DELETE FROM "SyncDigest" WHERE "recordId" = ANY($1::uuid[])`, [recordIds]);
}

/** Keeps the digests of records just written, with their rows' `updatedAt` as they are now. */
export async function saveDigests(
  sql: Sql,
  spec: DigestTable,
  districtId: string,
  items: Digested[],
): Promise<void> {
  if (items.length === 0) return;
  await sql(
    `INSERT INTO "SyncDigest" ("recordId", hash, source, memberships, "rowUpdatedAt")
     SELECT t.id, i.hash, i.source, i.n, t."updatedAt"
       FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS i(cid, hash, source, n)
       JOIN "${spec.table}" t ON t."cleverId" = i.cid
      WHERE t."cleverId" = ANY($2::text[]) AND t."districtId" = $1::uuid
     ON CONFLICT ("recordId") DO UPDATE
        SET hash = EXCLUDED.hash, source = EXCLUDED.source, memberships = EXCLUDED.memberships,
            "rowUpdatedAt" = EXCLUDED."rowUpdatedAt"
      WHERE ("SyncDigest".hash, "SyncDigest".source, "SyncDigest".memberships, "SyncDigest"."rowUpdatedAt")
            IS DISTINCT FROM (EXCLUDED.hash, EXCLUDED.source, EXCLUDED.memberships, EXCLUDED."rowUpdatedAt")`,
    [
      districtId,
      items.map((i) => i.cleverId),
      items.map((i) => i.hash),
      items.map((i) => i.source ?? null),
      items.map((i) => i.memberships),
    ],
  );
}

export interface Split<T> {
  /** Records to write as usual, and their digests (to save once written). */
  changed: T[];
  digests: Digested[];
  /** Local ids of the records in step, by Clever id, and how many memberships they list together. */
  unchanged: Map<string, string>;
  /** Clever ids of the page the district has already, in step or not (none looked up: empty). */
  existing: Set<string>;
  unchangedMemberships: number;
}

/** Splits a page into the records to write and those already in step (see the top of this file): one SELECT. */
export async function splitUnchanged<T extends { cleverId: string }>(
  sql: Sql,
  spec: DigestTable,
  districtId: string,
  rows: T[],
  describe: (row: T) => { parts: unknown[]; memberships: number },
  /** False when the district has no digests of this table yet (its first full sync): nothing to look up. */
  lookup = true,
): Promise<Split<T>> {
  const known = lookup
    ? await lookUpDigests(
        sql,
        spec,
        districtId,
        rows.map((row) => row.cleverId),
      )
    : new Map<string, KnownRecord>();
  return splitKnown(rows, known, describe);
}

/**
 * The same split over records already looked up (lookUpDigests). With `sources` (each record's source digest,
 * users), a record in step whose source digest changed has its digest saved again.
 */
export function splitKnown<T extends { cleverId: string }>(
  rows: T[],
  known: Map<string, KnownRecord>,
  describe: (row: T) => { parts: unknown[]; memberships: number },
  sources?: string[],
): Split<T> {
  const split: Split<T> = {
    changed: [],
    digests: [],
    unchanged: new Map(),
    existing: new Set(known.keys()),
    unchangedMemberships: 0,
  };
  rows.forEach((row, i) => {
    const { parts, memberships } = describe(row);
    const digest: Digested = {
      cleverId: row.cleverId,
      hash: digestOf(parts),
      memberships,
      source: sources?.[i],
    };
    const record = known.get(row.cleverId);
    if (record?.inStep && record.hash === digest.hash) {
      split.unchanged.set(row.cleverId, record.id);
      split.unchangedMemberships += memberships;
      if (digest.source !== undefined && record.source !== digest.source) split.digests.push(digest);
    } else {
      split.changed.push(row);
      split.digests.push(digest);
    }
  });
  return split;
}
