// Login-time provisioning: every sign-in brings the user's account and rosters up to date from Clever, in one
// transaction. Data is read with the district-app token; the user's SSO token only told us who they are.
import type { CleverClients } from '../clever/clever-clients';
import { CleverError, withDistrictToken } from '../clever/clever-clients';
import type { Database } from '../db/database';
import { AppError, notShared } from '../errors';
import type { Logger } from '../logger';
import { applyRoster, type ApplyResult } from './apply-roster';
import { recordAudit } from '../db/audit';
import type { Outcome } from '../db/upsert-rows';
import { archiveUnlistedMemberships } from '../records/archive-memberships';
import { fetchLoginRoster, type LoginRoster } from './fetch-login-roster';
import { endSessionsOf } from '../db/sessions';
import { mapCourse, mapDistrict, mapSchool, mapSection, mapTerm, mapUser } from '../records/map-clever';
import { inTransaction } from '../db/transaction';
import { upsertDistrict } from '../records/upsert-district';

export interface LoginDeps {
  db: Database;
  clever: CleverClients;
  logger: Logger;
  matchStudentsBySisId: boolean;
}

export interface LoginResult {
  userId: string;
  outcome: Outcome;
  matchedBy: 'clever_id' | 'email' | 'sis_id' | 'created';
  /** True when Clever could not be reached and an existing account signed in with the data it had. */
  isStale: boolean;
  counts?: ApplyResult['counts'];
}

export async function provisionLogin(
  deps: LoginDeps,
  props: { cleverUserId: string; districtId: string },
): Promise<LoginResult> {
  let roster: LoginRoster | null;
  try {
    roster = await withDistrictToken(deps.clever.tokens, props.districtId, (token) =>
      fetchLoginRoster(deps.clever.dataClient(token), props.districtId, props.cleverUserId),
    );
  } catch (err) {
    if (!(err instanceof CleverError)) throw err;
    // Clever is down or slow: an existing account may still sign in with yesterday's data; a new one cannot.
    deps.logger.warn({ code: err.code, status: err.status }, 'Clever unavailable during login provisioning');
    const existing = await deps.db.prisma.user.findUnique({ where: { cleverId: props.cleverUserId } });
    if (existing && !existing.archivedAt) {
      return { userId: existing.id, outcome: 'unchanged', matchedBy: 'clever_id', isStale: true };
    }
    throw new AppError(
      'clever_unavailable',
      'We could not reach Clever to set up your account. Please try again in a few minutes.',
    );
  }

  if (!roster) {
    await archiveUnsharedUser(deps, props.cleverUserId);
    throw notShared();
  }
  const data = roster;

  return inTransaction(deps.db, async ({ sql }) => {
    const district = await upsertDistrict(sql, mapDistrict(data.district));
    const self = mapUser(data.user);
    const result = await applyRoster(
      sql,
      {
        districtId: district.id,
        source: 'login',
        matchStudentsBySisId: deps.matchStudentsBySisId,
        signerCleverId: self.cleverId,
      },
      {
        schools: data.schools.map(mapSchool),
        terms: data.terms.map(mapTerm),
        courses: data.courses.map(mapCourse),
        sections: data.sections.map(mapSection),
        users: [self, ...data.people.map(mapUser).filter((p) => p.cleverId !== self.cleverId)],
      },
    );
    const userId = result.userIds.get(self.cleverId)!;
    const outcome = result.users.find((u) => u.key === self.cleverId)!.outcome;

    // Sections this user has left (a student who changed classes) are archived, not deleted: the sections
    // Clever lists for the signer now are all the sections they are in.
    await archiveUnlistedMemberships(sql, {
      type: 'section_membership',
      districtId: district.id,
      owners: { users: [self.cleverId] },
      keep: [...result.sectionIds.keys()].map((section) => `${section}|${self.cleverId}`),
      audit: { source: 'login' },
    });
    const row = await sql(
      `UPDATE "User" SET "lastLoginAt" = now() WHERE id = $1::uuid RETURNING "matchedBy"::text AS "matchedBy"`,
      [userId],
    );
    const linked = result.matches.linked.find((l) => l.cleverId === self.cleverId);
    const matchedBy = (linked?.by ??
      (outcome === 'created' ? 'created' : row[0]?.matchedBy) ??
      'clever_id') as LoginResult['matchedBy'];
    return { userId, outcome, matchedBy, isStale: false, counts: result.counts };
  });
}

/** Clever no longer shares this user (404): archive the account (never delete it) and end its sessions. */
async function archiveUnsharedUser(deps: LoginDeps, cleverUserId: string): Promise<void> {
  const user = await deps.db.prisma.user.findUnique({ where: { cleverId: cleverUserId } });
  if (!user || user.archivedAt) return;
  await inTransaction(deps.db, async ({ prisma: tx, sql }) => {
    await tx.user.update({
      where: { id: user.id },
      data: { archivedAt: new Date(), archiveReason: 'Clever no longer shares this user (404 at login)' },
    });
    await recordAudit(sql, { districtId: user.districtId, source: 'login' }, [
      {
        recordType: 'user',
        recordId: user.id,
        cleverId: cleverUserId,
        action: 'archived',
        reason: 'not shared (404 at login)',
      },
    ]);
  });
  await endSessionsOf(deps.db, [user.id]);
}
