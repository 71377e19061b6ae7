// Links Clever users seen for the first time to accounts that existed before Clever (imported, or made by
// hand), keeping the account's id and history. Runs for every batch of new Clever users — at login and in the
// district sync — so an imported student is matched even when a teacher's login or the sync sees them first.
import type { Sql } from '../db/sql';
import {
  planAccountMatch,
  roleFamilies,
  rolesOfFamilies,
  type Candidate,
  type MatchPlan,
} from './plan-account-match';
import type { UserRow } from '../records/map-clever';

export interface MatchOutcome {
  linked: Array<{ userId: string; cleverId: string; by: 'email' | 'sis_id' }>;
  reviews: Array<{ cleverId: string; candidateIds: string[]; reason: string; emailNormalized: string }>;
  /**
   * Clever ids of `users` that had no row when matched and were not linked to an account: still absent from the
   * User table unless a concurrent transaction adds one (which an upsert's ON CONFLICT meets). Users with
   * neither an email nor a SIS id to match by are not looked up, so not listed.
   */
  fresh: Set<string>;
}

export async function matchExistingAccounts(
  sql: Sql,
  districtId: string,
  users: UserRow[],
  options: { matchStudentsBySisId: boolean },
): Promise<MatchOutcome> {
  const outcome: MatchOutcome = { linked: [], reviews: [], fresh: new Set() };
  const withKeys = users.filter((u) => u.emailNormalized || (options.matchStudentsBySisId && u.sisId));
  if (withKeys.length === 0) return outcome;

  // `IS NOT DISTINCT FROM` (same meaning here: $4 is never null) keeps the district index out of the `shared`
  // probe: without statistics (PGlite never analyzes) the planner intersects it with the email index and reads
  // the whole district for every new user — quadratic in a district's first sync (docs/benchmarks.md, B3).
  const candidate = `jsonb_build_object('id', u.id::text, 'roles', u.roles::text[], 'inDistrict', u."districtId" IS NOT NULL)`;
  const rows = await sql(
    `WITH incoming AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $6::text[]) AS i(cid, email, sis, kin)
     ), fresh AS (
       SELECT i.* FROM incoming i WHERE NOT EXISTS (SELECT 1 FROM "User" u WHERE u."cleverId" = i.cid)
     )
     SELECT f.cid,
       coalesce(jsonb_agg(DISTINCT ${candidate}) FILTER (WHERE u.id IS NOT NULL AND u."emailNormalized" = f.email), '[]') AS by_email,
       coalesce(jsonb_agg(DISTINCT ${candidate}) FILTER (WHERE u.id IS NOT NULL AND $5 AND u."sisId" = f.sis), '[]') AS by_sis,
       EXISTS (SELECT 1 FROM "User" o WHERE o."cleverId" IS NOT NULL AND o."cleverId" <> f.cid
                 AND o."emailNormalized" = f.email AND o."districtId" IS NOT DISTINCT FROM $4::uuid
                 AND o.roles::text[] && string_to_array(f.kin, ',')) AS shared,
       (SELECT d."verifiedEmailDomains" FROM "District" d WHERE d.id = $4::uuid) AS domains
     FROM fresh f
     LEFT JOIN "User" u ON u."cleverId" IS NULL AND u."archivedAt" IS NULL
       AND (u."districtId" = $4::uuid OR u."districtId" IS NULL)
       AND (u."emailNormalized" = f.email OR ($5 AND u."sisId" = f.sis))
     GROUP BY f.cid, f.email, f.kin`,
    [
      withKeys.map((u) => u.cleverId),
      withKeys.map((u) => u.emailNormalized),
      withKeys.map((u) => (u.roles.includes('student') ? u.sisId : null)),
      districtId,
      options.matchStudentsBySisId,
      withKeys.map((u) => rolesOfFamilies(roleFamilies(u.roles)).join(',')),
    ],
  );

  // Two Clever users of the same kind arriving together with one email share it too.
  const emailCount = new Map<string, number>();
  for (const u of users) {
    if (!u.emailNormalized) continue;
    for (const family of roleFamilies(u.roles)) {
      const key = `${family} ${u.emailNormalized}`;
      emailCount.set(key, (emailCount.get(key) ?? 0) + 1);
    }
  }
  const sharedInBatch = (u: UserRow) =>
    [...roleFamilies(u.roles)].some((f) => (emailCount.get(`${f} ${u.emailNormalized}`) ?? 0) > 1);
  const byCleverId = new Map(users.map((u) => [u.cleverId, u]));
  const claimed = new Set<string>();

  for (const row of rows) {
    const user = byCleverId.get(String(row.cid));
    if (!user) continue;
    outcome.fresh.add(user.cleverId);
    const plan: MatchPlan = planAccountMatch(
      {
        cleverId: user.cleverId,
        emailNormalized: user.emailNormalized,
        sisId: user.sisId,
        roles: user.roles,
      },
      {
        byEmail: row.by_email as Candidate[],
        bySisId: row.by_sis as Candidate[],
        emailSharedByOtherCleverUser:
          Boolean(row.shared) || (user.emailNormalized ? sharedInBatch(user) : false),
      },
      { ...options, verifiedEmailDomains: (row.domains as string[] | null) ?? [] },
    );
    if (plan.kind === 'link' && !claimed.has(plan.userId)) {
      claimed.add(plan.userId);
      outcome.linked.push({ userId: plan.userId, cleverId: user.cleverId, by: plan.by });
    } else if (plan.kind === 'review' && user.emailNormalized) {
      outcome.reviews.push({
        cleverId: user.cleverId,
        candidateIds: plan.candidateIds,
        reason: plan.reason,
        emailNormalized: user.emailNormalized,
      });
    }
  }

  if (outcome.linked.length) {
    // `cleverId IS NULL` makes a concurrent login's link of the same account a no-op here, never a move.
    const done = await sql(
      `UPDATE "User" u SET "cleverId" = l.cid, "districtId" = $3::uuid, "managedBy" = 'clever',
              "matchedBy" = l.by::"MatchedBy", "matchedAt" = now(), "updatedAt" = now()
         FROM unnest($1::uuid[], $2::text[], $4::text[]) AS l(id, cid, by)
        WHERE u.id = l.id AND u."cleverId" IS NULL
          AND NOT EXISTS (SELECT 1 FROM "User" x WHERE x."cleverId" = l.cid)
        RETURNING u.id::text AS id`,
      [
        outcome.linked.map((l) => l.userId),
        outcome.linked.map((l) => l.cleverId),
        districtId,
        outcome.linked.map((l) => l.by),
      ],
    );
    const ok = new Set(done.map((r) => String(r.id)));
    // A linked Clever id has a row now (or, where a concurrent login linked first, may have): not absent.
    for (const link of outcome.linked) outcome.fresh.delete(link.cleverId);
    outcome.linked = outcome.linked.filter((l) => ok.has(l.userId));
  }
  return outcome;
}

/** Email matches that were not safe to make automatically wait for an admin (once per account). */
export async function recordMatchReviews(
  sql: Sql,
  districtId: string,
  reviews: MatchOutcome['reviews'],
): Promise<void> {
  if (reviews.length === 0) return;
  await sql(
    `INSERT INTO "MatchReview" ("districtId", "userId", "emailNormalized", "candidateUserIds", "reason")
     SELECT $1::uuid, u.id, r.email, string_to_array(r.cands, ','), r.reason
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS r(cid, email, cands, reason)
       JOIN "User" u ON u."cleverId" = r.cid
     ON CONFLICT ("userId") DO NOTHING`,
    [
      districtId,
      reviews.map((r) => r.cleverId),
      reviews.map((r) => r.emailNormalized),
      reviews.map((r) => r.candidateIds.join(',')),
      reviews.map((r) => r.reason),
    ],
  );
}
