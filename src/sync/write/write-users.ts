// A page of users of every role: pre-Clever accounts are matched first (as at login), then users are written,
// then their school memberships (exactly the schools on each user's record; those a user no longer lists are
// planned for archiving). Local accounts are never written: USER_TABLE's guard leaves `managedBy: local` alone.
import { randomUUID } from 'node:crypto';
import { CleverUserSchema, type CleverUser } from '../../clever/clever-clients';
import { recordAudit } from '../../db/audit';
import { matchExistingAccounts, recordMatchReviews, type MatchOutcome } from '../../matching/match-accounts';
import { mapUser, type UserRow } from '../../records/map-clever';
import { USER_TABLE } from '../../db/tables';
import {
  codeFingerprint,
  digestOf,
  lookUpDigests,
  saveDigests,
  sourceDigestOf,
  splitKnown,
  USER_DIGEST,
  type KnownRecord,
  type Split,
} from '../../db/sync-digest';
import { addCount } from '../plan/counts';
import { writeMemberships } from '../archive/plan-memberships';
import { idsByCleverId, skipInvalid, sourceOf, stage, writeRows, type WriteContext } from './write-context';

/**
 * The code that decides what a Clever user record becomes here: its schema, its mapping, the tables and
 * memberships written for it. Read once, when the first full sync needs it (src/db/sync-digest.ts).
 */
const USER_CODE = [
  '../../clever/clever-types',
  '../../clever/schema-helpers',
  '../../records/map-clever',
  '../../db/tables',
  '../../db/upsert-rows',
  '../../db/sync-digest',
  '../archive/plan-memberships',
  './write-context',
  './write-users',
];
let userCode: string | undefined;

/**
 * What, besides its own text, decides how a user record is written in a full sync: the code (above) and the
 * district's schools (a record naming a school that was not there last time must take the full path). Once a
 * run, after the schools are written.
 */
export function userSourceSalt(schoolIds: ReadonlyMap<string, string>): string {
  userCode ??= codeFingerprint(USER_CODE, require.resolve);
  return digestOf([userCode, [...schoolIds].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/**
 * A full sync's (or its dry run's) page of users as Clever sent them. A user whose record is exactly as last
 * time (its source digest) on a row in step is counted as unchanged without being validated or mapped; the
 * others are validated (a record that fails is skipped and counted, never archived for it) and written as
 * usual. One SELECT looks up the whole page.
 */
export async function writeUserPage(w: WriteContext, records: unknown[]): Promise<void> {
  // Without the run's salt no source digest can match: every record takes the usual path.
  const salt = w.userSourceSalt ?? randomUUID();
  const sources = records.map((raw) => sourceDigestOf(salt, raw));
  const ids = records.map(idOf);
  const known =
    w.digests?.User === false
      ? new Map<string, KnownRecord>()
      : await lookUpDigests(w.sql, USER_DIGEST, w.districtId, [
          ...new Set(ids.filter((id): id is string => id !== null)),
        ]);
  const users: CleverUser[] = [];
  const userSources: string[] = [];
  const unchanged: string[] = [];
  let unchangedMemberships = 0;
  for (const [i, raw] of records.entries()) {
    const record = ids[i] === null ? undefined : known.get(ids[i]!);
    if (record?.inStep && record.source === sources[i]) {
      unchanged.push(ids[i]!);
      unchangedMemberships += record.memberships;
      continue;
    }
    const parsed = CleverUserSchema.safeParse(raw);
    if (!parsed.success) {
      await skipInvalid(w, 'user', raw);
      continue;
    }
    users.push(parsed.data);
    userSources.push(sources[i]);
  }
  addCount(w.counts, 'user', 'unchanged', unchanged.length);
  addCount(w.counts, 'school_membership', 'unchanged', unchangedMemberships);
  await stage(w, 'user', unchanged);
  if (!w.pendingUsers) {
    if (users.length > 0) await writeUsers(w, users, { known, sources: userSources });
    return;
  }
  w.pendingUsers.add(users, userSources, known);
  if (w.pendingUsers.size >= w.pendingUsers.batchSize) await writePendingUsers(w);
}

/**
 * A full sync's users that differ from last time, carried from page to page until there are a page's worth
 * (`batchSize`), then written together in the transaction of the page that completes them (at most two pages'
 * worth); the rest are written once the last page was read, or when a read fails (writePendingUsers). In a
 * re-sync where ~1% of users changed, every page had a few, and writing a page's few took as many statements
 * and a commit as writing a whole page. Until written, a carried user is neither staged as seen nor counted:
 * the users are all written before the sections are read and long before anything is planned for archiving.
 */
export class PendingUsers {
  private users: CleverUser[] = [];
  private sources: string[] = [];
  private known = new Map<string, KnownRecord>();

  constructor(readonly batchSize: number) {}

  get size(): number {
    return this.users.length;
  }

  add(users: CleverUser[], sources: string[], known: Map<string, KnownRecord>): void {
    users.forEach((user, i) => {
      this.users.push(user);
      this.sources.push(sources[i]);
      const record = known.get(user.id);
      if (record) this.known.set(user.id, record);
    });
  }

  take(): { users: CleverUser[]; sources: string[]; known: Map<string, KnownRecord> } {
    const taken = { users: this.users, sources: this.sources, known: this.known };
    this.users = [];
    this.sources = [];
    this.known = new Map();
    return taken;
  }
}

/** Writes the users a full sync is carrying (PendingUsers), if any, in `w`'s transaction. */
export async function writePendingUsers(w: WriteContext): Promise<void> {
  if (!w.pendingUsers?.size) return;
  const { users, sources, known } = w.pendingUsers.take();
  await writeUsers(w, users, { known, sources });
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Writes validated users. A full sync passes what writeUserPage looked up (and each record's source digest);
 * an events sync writes every user it is given.
 */
export async function writeUsers(
  w: WriteContext,
  users: CleverUser[],
  looked?: { known: Map<string, KnownRecord>; sources: string[] },
): Promise<void> {
  const all = users.map(mapUser);
  const schoolIds = await idsByCleverId(
    w,
    'School',
    all.flatMap((u) => [u.primarySchoolCleverId, ...u.schoolCleverIds]),
  );
  // A full sync (or its dry run) leaves users in step with their digest alone (src/db/sync-digest.ts).
  const split = await skipUnchangedUsers(w, all, schoolIds, looked);
  const rows = split.changed;
  // Only a Clever id new here can be matched: a page of users the district has already needs no matching query.
  const matches =
    w.mode !== 'dry_run' && rows.some((u) => !split.existing.has(u.cleverId))
      ? await linkExistingAccounts(w, rows)
      : null;
  const now = new Date();
  // The columns known here are added to the mapped rows themselves (their digests are taken): a copy of every
  // user was ~8% of what a district's first sync allocates.
  const written = rows.map((u) =>
    Object.assign(u as UserRow & Record<string, unknown>, {
      districtId: w.districtId,
      primarySchoolId: u.primarySchoolCleverId ? (schoolIds.get(u.primarySchoolCleverId) ?? null) : null,
      matchedBy: 'created',
      matchedAt: now,
    }),
  );
  const results = await writeRows(
    w,
    'user',
    USER_TABLE,
    written,
    // The matching query found which Clever ids have no row here (and linked none of them to an account):
    // they are not looked up again before the INSERT (in a district's first sync, every page).
    matches?.fresh.size ? { knownAbsent: (row) => matches.fresh.has(row.cleverId as string) } : undefined,
  );
  // A review names the user made for the Clever id: recorded once that row exists.
  if (matches) await recordMatchReviews(w.sql, w.districtId, matches.reviews);
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
}

/**
 * The users whose row is in step with the record's mapped digest (src/db/sync-digest.ts): a record whose text
 * changed in a way that changes nothing here. Their digests are saved again with the new source digest.
 */
async function skipUnchangedUsers(
  w: WriteContext,
  rows: UserRow[],
  schoolIds: Map<string, string>,
  looked?: { known: Map<string, KnownRecord>; sources: string[] },
): Promise<Split<UserRow>> {
  if (w.mode === 'events' || !looked) {
    return { changed: rows, digests: [], unchanged: new Map(), existing: new Set(), unchangedMemberships: 0 };
  }
  const split = splitKnown(
    rows,
    looked.known,
    (u) => {
      const schools = u.schoolCleverIds.map((id) => schoolIds.get(id) ?? null);
      const primary = u.primarySchoolCleverId ? (schoolIds.get(u.primarySchoolCleverId) ?? null) : null;
      return {
        parts: [Object.values(u), schools, primary],
        memberships: new Set(schools.filter(Boolean)).size,
      };
    },
    looked.sources,
  );
  addCount(w.counts, 'user', 'unchanged', split.unchanged.size);
  addCount(w.counts, 'school_membership', 'unchanged', split.unchangedMemberships);
  return split;
}

async function linkExistingAccounts(w: WriteContext, rows: UserRow[]): Promise<MatchOutcome> {
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
  return matches;
}
