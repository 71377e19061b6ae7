// Applies one Clever event, idempotently: created/updated records are written exactly as a full sync
// writes them (an unchanged record writes nothing), deleted ones archived. Events are applied strictly in the
// order Clever sends them (clever-api.md §5).
import {
  CleverCourseSchema,
  CleverDistrictSchema,
  CleverSchoolSchema,
  CleverSectionSchema,
  CleverTermSchema,
  CleverUserSchema,
  type CleverEvent,
} from '../../clever/clever-clients';
import { mapDistrict, mapUser } from '../../records/map-clever';
import { upsertDistrict } from '../../records/upsert-district';
import { archiveDeleted, archiveMemberships } from './archive-from-events';
import { parseEventType } from '../plan/plan-events';
import { pairKey } from '../write/staging';
import { skipInvalid, type WriteContext } from '../write/write-context';
import { writeCourses, writeSchools, writeTerms } from '../write/write-records';
import { writeSections } from '../write/write-sections';
import { writeUsers } from '../write/write-users';

const SCHEMAS = {
  district: CleverDistrictSchema,
  school: CleverSchoolSchema,
  term: CleverTermSchema,
  course: CleverCourseSchema,
  section: CleverSectionSchema,
  user: CleverUserSchema,
} as const;

/**
 * Returns the ids of users it archived (their sessions must end after the transaction commits), or
 * 'skipped' for an event whose record cannot be read (counted as an error of its type; never fatal).
 */
export async function applyEvent(
  w: WriteContext,
  event: CleverEvent,
  cleverDistrictId: string,
): Promise<string[] | 'skipped'> {
  const parsed = parseEventType(event.type);
  if (!parsed) return [];
  const { recordType, action } = parsed;
  const object = SCHEMAS[recordType].safeParse(event.data.object);
  if (!object.success) {
    if (recordType !== 'district') await skipInvalid(w, recordType, event.data.object);
    else w.counts.total.errors += 1;
    return 'skipped';
  }
  const record = object.data as { id: string };
  if (recordType === 'district') {
    if (action !== 'deleted' && record.id === cleverDistrictId) {
      await upsertDistrict(w.sql, mapDistrict(object.data as never));
    }
    return [];
  }
  if (action === 'deleted') return archiveDeleted(w, recordType, record.id);

  if (recordType === 'school') await writeSchools(w, [object.data as never]);
  if (recordType === 'term') await writeTerms(w, [object.data as never]);
  if (recordType === 'course') await writeCourses(w, [object.data as never]);
  if (recordType === 'user') {
    await writeUsers(w, [object.data as never]);
    // The event carries the whole record: its schools are exactly the user's schools now.
    const user = mapUser(object.data as never);
    const keep = user.schoolCleverIds.map((school) => pairKey(user.cleverId, school));
    await archiveMemberships(w, 'school_membership', { userCleverId: user.cleverId }, keep);
  }
  if (recordType === 'section') {
    // NOTE: enrollment changes arrive as sections.updated (clever-api.md §3.4): the roster is exact.
    const { pairs } = await writeSections(w, [object.data as never]);
    await archiveMemberships(w, 'section_membership', { sectionCleverId: record.id }, pairs);
  }
  return [];
}
