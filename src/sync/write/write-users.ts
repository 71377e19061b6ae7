// A page of users of every role: pre-Clever accounts are matched first (as at login), then users are written,
// then their school memberships (exactly the schools on each user's record; those a user no longer lists are
// planned for archiving). Local accounts are never written: USER_TABLE's guard leaves `managedBy: local` alone.
import type { CleverUser } from '../../clever/clever-clients';
import { recordAudit } from '../../db/audit';
import { matchExistingAccounts, recordMatchReviews } from '../../matching/match-accounts';
import { mapUser, type UserRow } from '../../records/map-clever';
import { USER_TABLE } from '../../db/tables';
import { saveDigests, splitUnchanged, USER_DIGEST, type Split } from '../../db/sync-digest';
import { addCount } from '../plan/counts';
import { writeMemberships } from '../archive/plan-memberships';
import { idsByCleverId, sourceOf, stage, writeRows, type WriteContext } from './write-context';

export async function writeUsers(w: WriteContext, users: CleverUser[]): Promise<Map<string, string>> {
  const all = users.map(mapUser);
  const schoolIds = await idsByCleverId(
    w,
    'School',
    all.flatMap((u) => [u.primarySchoolCleverId, ...u.schoolCleverIds]),
  );
  // A full sync (or its dry run) leaves users in step with their digest alone (src/db/sync-digest.ts).
  const split = await skipUnchangedUsers(w, all, schoolIds);
  const rows = split.changed;
  // Only a Clever id new here can be matched: a page of users the district has already needs no matching query.
  if (w.mode !== 'dry_run' && rows.some((u) => !split.existing.has(u.cleverId)))
    await linkExistingAccounts(w, rows);
  const now = new Date();
  const results = await writeRows(
    w,
    'user',
    USER_TABLE,
    rows.map((u) => ({
      ...u,
      districtId: w.districtId,
      primarySchoolId: u.primarySchoolCleverId ? (schoolIds.get(u.primarySchoolCleverId) ?? null) : null,
      matchedBy: 'created',
      matchedAt: now,
    })),
  );
  await stage(
    w,
    'user',
    all.map((u) => u.cleverId),
  );
  const userIds = new Map(results.filter((r) => r.id).map((r) => [r.key, r.id]));

  // A dry run meets users and schools that do not exist yet: their memberships would be created.
  const newSchools =
    w.mode === 'dry_run'
      ? (w.seen?.among('school', new Set(rows.flatMap((u) => u.schoolCleverIds))) ?? new Set<string>())
      : new Set<string>();
  const memberships: Array<Record<string, unknown>> = [];
  for (const user of rows) {
    for (const schoolCleverId of user.schoolCleverIds) {
      const userId = userIds.get(user.cleverId);
      const schoolId = schoolIds.get(schoolCleverId);
      const isPrimary = schoolCleverId === user.primarySchoolCleverId;
      if (userId && schoolId) memberships.push({ userId, schoolId, isPrimary });
      else if (schoolId || newSchools.has(schoolCleverId)) addCount(w.counts, 'school_membership', 'created');
    }
  }
  await writeMemberships(w, 'school_membership', memberships, results);
  if (w.mode === 'full') await saveDigests(w.sql, USER_DIGEST, w.districtId, split.digests);
  return new Map([...userIds, ...split.unchanged]);
}

async function skipUnchangedUsers(
  w: WriteContext,
  rows: UserRow[],
  schoolIds: Map<string, string>,
): Promise<Split<UserRow>> {
  if (w.mode === 'events') {
    return { changed: rows, digests: [], unchanged: new Map(), existing: new Set(), unchangedMemberships: 0 };
  }
  const split = await splitUnchanged(
    w.sql,
    USER_DIGEST,
    w.districtId,
    rows,
    (u) => {
      const schools = u.schoolCleverIds.map((id) => schoolIds.get(id) ?? null);
      const primary = u.primarySchoolCleverId ? (schoolIds.get(u.primarySchoolCleverId) ?? null) : null;
      return {
        parts: [Object.values(u), schools, primary],
        memberships: new Set(schools.filter(Boolean)).size,
      };
    },
    w.digests?.User ?? true,
  );
  addCount(w.counts, 'user', 'unchanged', split.unchanged.size);
  addCount(w.counts, 'school_membership', 'unchanged', split.unchangedMemberships);
  return split;
}

async function linkExistingAccounts(w: WriteContext, rows: UserRow[]): Promise<void> {
  const matches = await matchExistingAccounts(w.sql, w.districtId, rows, {
    matchStudentsBySisId: w.matchStudentsBySisId,
  });
  await recordAudit(
    w.sql,
    { districtId: w.districtId, source: sourceOf(w), syncRunId: w.runId },
    matches.linked.map((link) => ({
      recordType: 'user',
      recordId: link.userId,
      cleverId: link.cleverId,
      action: 'matched',
      reason: `matched by ${link.by}`,
    })),
  );
  await recordMatchReviews(w.sql, w.districtId, matches.reviews);
}
