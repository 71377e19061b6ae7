// A page of users of every role: pre-Clever accounts are matched first (as at login), then users are written,
// then their school memberships (exactly the schools on each user's record; those a user no longer lists are
// planned for archiving). Local accounts are never written: USER_TABLE's guard leaves `managedBy: local` alone.
import type { CleverUser } from '../../clever/clever-clients';
import { recordAudit } from '../../db/audit';
import { matchExistingAccounts, recordMatchReviews } from '../../matching/match-accounts';
import { mapUser, type UserRow } from '../../records/map-clever';
import { USER_TABLE } from '../../db/tables';
import { addCount } from '../plan/counts';
import { writeMemberships } from '../archive/plan-memberships';
import { seenAmong } from './staging';
import { idsByCleverId, sourceOf, stage, writeRows, type WriteContext } from './write-context';

export async function writeUsers(w: WriteContext, users: CleverUser[]): Promise<Map<string, string>> {
  const rows = users.map(mapUser);
  if (w.mode !== 'dry_run') await linkExistingAccounts(w, rows);
  const schoolIds = await idsByCleverId(
    w,
    'School',
    rows.flatMap((u) => [u.primarySchoolCleverId, ...u.schoolCleverIds]),
  );
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
    rows.map((u) => u.cleverId),
  );
  const userIds = new Map(results.filter((r) => r.id).map((r) => [r.key, r.id]));

  // A dry run meets users and schools that do not exist yet: their memberships would be created.
  const newSchools =
    w.mode === 'dry_run'
      ? await seenAmong(w.sql, w.runId, 'school', [...new Set(rows.flatMap((u) => u.schoolCleverIds))])
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
  await writeMemberships(w, 'school_membership', memberships, [...userIds.values()]);
  return userIds;
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
