// Reading Clever's event types. NOTE: v3 types are `<records>.<created|updated|deleted>`; users carry their
// role in the object; `.deleted` also means "unshared" (clever-api.md §5).

/** The record types Clever sends events for (memberships travel inside their section's or user's record). */
import type { AuditRecordType } from '../../db/record-types';

export type EventRecordType = Exclude<AuditRecordType, 'school_membership' | 'section_membership' | 'group'>;
export type EventAction = 'created' | 'updated' | 'deleted';

const RECORD_TYPES: Record<string, EventRecordType> = {
  districts: 'district',
  schools: 'school',
  terms: 'term',
  courses: 'course',
  sections: 'section',
  users: 'user',
};

/** null for types this app does not store (resources.*, v2 leftovers). */
export function parseEventType(type: string): { recordType: EventRecordType; action: EventAction } | null {
  const [records, action] = type.split('.');
  const recordType = RECORD_TYPES[records ?? ''];
  if (!recordType || (action !== 'created' && action !== 'updated' && action !== 'deleted')) return null;
  return { recordType, action };
}
