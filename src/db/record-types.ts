// The record types, in one place: what a sync counts and archives, what the audit trail names, and why a
// record or membership is archived. Table specs: src/db/tables.ts; where each type's rows live and which of
// them a sync may archive: src/db/archive-targets.ts.

/** Record types a sync writes, counts and may archive (in the order a full sync writes them). */
export const SYNC_RECORD_TYPES = [
  'school',
  'term',
  'course',
  'user',
  'section',
  'school_membership',
  'section_membership',
] as const;
export type SyncRecordType = (typeof SYNC_RECORD_TYPES)[number];

export type MembershipType = Extract<SyncRecordType, 'school_membership' | 'section_membership'>;

/** Every `AuditEvent.recordType`: the synced types, plus the district and the app's own groups. */
export type AuditRecordType = SyncRecordType | 'district' | 'group';

/** Why a record is archived, as the audit trail and the archived row's `archiveReason` say it. */
export const ARCHIVE_REASONS = {
  /** A full sync read everything and the record was not there. */
  gone: 'no longer shared by Clever (missing from the full sync)',
  /** A user's Clever record no longer lists the school. */
  school_membership: `school no longer on the user's Clever record`,
  /** A section's Clever record no longer lists the student or teacher. */
  section_membership: 'no longer listed in the Clever section',
} as const;
