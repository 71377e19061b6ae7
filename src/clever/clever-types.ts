import { z } from 'zod';
import {
  optionalStringList,
  optionalObject,
  optionalRecord,
  optionalString,
  requiredId,
} from './schema-helpers';

export { emptyToNull, toIssues, type CleverValidationIssue } from './schema-helpers';

// Tolerant schemas for Clever Data API v3.0/v3.1 objects.
// Only the fields Clever guarantees (and this app cannot work without) are required; everything else is
// optional, nullable, "" -> null; unknown keys pass through (v3.1 adds fields, `ext` is district-defined).
// NOTE: docs say `name.first/last` and `section.teacher` are guaranteed but the v3.1 spec marks them
// x-nullable, and contacts carry only `name.last` (https://dev.clever.com/docs/users,
// https://dev.clever.com/docs/sections): they are optional here.
// NOTE: enum-like fields (grade, gender, subject, ...) are plain strings: Clever adds values between versions
// (frl_status "Other" in v3.1, https://dev.clever.com/docs/whats-new-in-api-v31), and a new value must not
// drop a student from the roster.

export const CleverNameSchema = z.looseObject({
  first: optionalString,
  middle: optionalString,
  last: optionalString,
});

export const CleverLocationSchema = z.looseObject({
  address: optionalString,
  city: optionalString,
  state: optionalString,
  zip: optionalString,
  lat: optionalString,
  lon: optionalString,
});

const credentials = optionalObject(z.looseObject({ district_username: optionalString }));
const name = optionalObject(CleverNameSchema);
const location = optionalObject(CleverLocationSchema);
const lmsStatus = optionalObject(z.looseObject({ synced_in_lms: z.boolean().nullish().catch(null) }));

export const CleverDistrictSchema = z.looseObject({
  id: requiredId,
  name: optionalString,
  sis_type: optionalString,
  launch_date: optionalString,
  portal_url: optionalString,
  login_methods: optionalStringList,
  last_sync: optionalString,
  // NOTE: "paused" means last year's data is showing during rollover (https://dev.clever.com/docs/districts).
  state: optionalString,
  error: optionalString,
  pause_start: optionalString,
  pause_end: optionalString,
  mdr_number: optionalString,
  nces_id: optionalString,
  district_contact: optionalObject(
    z.looseObject({
      id: optionalString,
      district: optionalString,
      name,
      email: optionalString,
      title: optionalString,
    }),
  ),
  last_attendance_sync: optionalString,
  lms_state: optionalString,
  lms_type: optionalString,
});

export const CleverSchoolSchema = z.looseObject({
  id: requiredId,
  district: optionalString,
  name: optionalString,
  created: optionalString,
  last_modified: optionalString,
  sis_id: optionalString,
  school_number: optionalString,
  state_id: optionalString,
  nces_id: optionalString,
  mdr_number: optionalString,
  low_grade: optionalString,
  high_grade: optionalString,
  principal: optionalObject(z.looseObject({ name: optionalString, email: optionalString })),
  location,
  phone: optionalString,
  ext: optionalRecord,
});

export const CleverStudentRoleSchema = z.looseObject({
  // NOTE: the primary school is not always schools[0] (https://dev.clever.com/docs/users).
  school: optionalString,
  schools: optionalStringList,
  enrollments: optionalObject(
    z.array(z.looseObject({ school: optionalString, start_date: optionalString, end_date: optionalString })),
  ),
  sis_id: optionalString,
  student_number: optionalString,
  state_id: optionalString,
  credentials,
  dob: optionalString,
  gender: optionalString,
  grade: optionalString,
  graduation_year: optionalString,
  race: optionalString,
  hispanic_ethnicity: optionalString,
  ell_status: optionalString,
  frl_status: optionalString,
  iep_status: optionalString,
  home_language: optionalString,
  location,
  ext: optionalRecord,
  legacy_id: optionalString,
  created: optionalString,
  last_modified: optionalString,
  email: optionalString,
  // v3.1 only
  gifted_status: optionalString,
  section_504_status: optionalString,
  disability: optionalObject(
    z.looseObject({
      disability_status: optionalString,
      disability_type: optionalString,
      disability_code: optionalString,
    }),
  ),
  home_language_code: optionalString,
  preferred_name: name,
});

export const CleverTeacherRoleSchema = z.looseObject({
  legacy_id: optionalString,
  school: optionalString,
  // NOTE: may be [] (teacher + district admin example,
  // https://dev.clever.com/docs/best-practices-edge-cases).
  schools: optionalStringList,
  sis_id: optionalString,
  teacher_number: optionalString,
  state_id: optionalString,
  title: optionalString,
  credentials,
  ext: optionalRecord,
  district: optionalString,
  name,
  created: optionalString,
  last_modified: optionalString,
});

export const CleverStaffRoleSchema = z.looseObject({
  legacy_id: optionalString,
  // NOTE: staff have no primary `school`, only `schools` (https://dev.clever.com/docs/users).
  roles: optionalStringList,
  schools: optionalStringList,
  staff_id: optionalString,
  title: optionalString,
  department: optionalString,
  credentials,
  ext: optionalRecord,
});

export const CleverDistrictAdminRoleSchema = z.looseObject({
  legacy_id: optionalString,
  title: optionalString,
});

export const CleverContactRoleSchema = z.looseObject({
  legacy_id: optionalString,
  phone: optionalString,
  phone_type: optionalString,
  sis_id: optionalString,
  student_relationships: optionalObject(
    z.array(z.looseObject({ student: optionalString, relationship: optionalString, type: optionalString })),
  ),
});

export const CleverRolesSchema = z.looseObject({
  student: optionalObject(CleverStudentRoleSchema),
  teacher: optionalObject(CleverTeacherRoleSchema),
  staff: optionalObject(CleverStaffRoleSchema),
  district_admin: optionalObject(CleverDistrictAdminRoleSchema),
  contact: optionalObject(CleverContactRoleSchema),
});

export const CleverUserSchema = z.looseObject({
  id: requiredId,
  district: requiredId,
  roles: CleverRolesSchema,
  name,
  email: optionalString,
  created: optionalString,
  last_modified: optionalString,
  lms_status: lmsStatus,
});

export const CleverSectionSchema = z.looseObject({
  id: requiredId,
  school: requiredId,
  district: optionalString,
  name: optionalString,
  sis_id: optionalString,
  subject: optionalString,
  // NOTE: `teachers` is primary first, then up to 9 co-teachers; import all
  // (https://dev.clever.com/docs/sections).
  teacher: optionalString,
  teachers: optionalStringList,
  // NOTE: may list ids that 404 because they are not shared with the app
  // (https://dev.clever.com/docs/sections).
  students: optionalStringList,
  grade: optionalString,
  course: optionalString,
  term_id: optionalString,
  section_number: optionalString,
  period: optionalString,
  created: optionalString,
  last_modified: optionalString,
  ext: optionalRecord,
  lms_status: lmsStatus,
});

export const CleverTermSchema = z.looseObject({
  id: requiredId,
  district: optionalString,
  name: optionalString,
  // NOTE: https://dev.clever.com/docs/terms says YYYY-MM-DD, the OpenAPI spec date-time: kept as the string
  // Clever sent.
  start_date: optionalString,
  end_date: optionalString,
});

export const CleverCourseSchema = z.looseObject({
  id: requiredId,
  district: optionalString,
  name: optionalString,
  number: optionalString,
});

const objectRecord = z.record(z.string(), z.unknown());

export const CleverEventSchema = z.preprocess(
  liftPreviousAttributes,
  z.looseObject({
    id: requiredId,
    type: z.string().min(1),
    created: optionalString,
    data: z.looseObject({
      object: objectRecord,
      previous_attributes: optionalObject(objectRecord),
    }),
  }),
);

// NOTE: the events spec puts `previous_attributes` beside `data`, real payloads nest it inside `data`
// (https://dev.clever.com/docs/events-api). Accept both; expose it at `data.previous_attributes`.
function liftPreviousAttributes(raw: unknown): unknown {
  if (!isPlainObject(raw) || !('previous_attributes' in raw) || !isPlainObject(raw.data)) return raw;
  if ('previous_attributes' in raw.data) return raw;
  const { previous_attributes, ...rest } = raw;
  return { ...rest, data: { ...raw.data, previous_attributes } };
}

export const CleverLinkSchema = z.looseObject({ rel: z.string(), uri: z.string() });

export const CleverMeSchema = z.looseObject({
  // NOTE: always "user" in v3.x; never derive the role from it
  // (https://dev.clever.com/docs/api-v3-upgrade-guide).
  type: optionalString,
  data: z.looseObject({
    id: requiredId,
    // NOTE: Library logins omit `district`
    // (https://dev.clever.com/docs/clever-single-sign-on-vs-clever-library-sso-copy).
    district: optionalString,
    type: optionalString,
    authorized_by: optionalString,
    name,
  }),
  links: optionalObject(z.array(CleverLinkSchema)),
});

/**
 * A list record as Clever sent it (the envelope checked that it is an object): for a caller that validates only
 * the records it needs to (a full sync's users, src/sync/write/write-users.ts).
 */
export const CleverSentRecordSchema: z.ZodType<unknown> = z.unknown();

/** List envelope: the page itself must be well formed; records are validated one by one afterwards. */
export const CleverListEnvelopeSchema = z.looseObject({
  data: z.array(z.looseObject({ data: objectRecord, uri: z.string().nullish() })),
  links: z.array(CleverLinkSchema).nullish(),
});

export const CleverSingleEnvelopeSchema = z.looseObject({
  data: objectRecord,
  links: z.array(CleverLinkSchema).nullish(),
});

export type CleverName = z.output<typeof CleverNameSchema>;
export type CleverLocation = z.output<typeof CleverLocationSchema>;
export type CleverDistrict = z.output<typeof CleverDistrictSchema>;
export type CleverSchool = z.output<typeof CleverSchoolSchema>;
export type CleverStudentRole = z.output<typeof CleverStudentRoleSchema>;
export type CleverTeacherRole = z.output<typeof CleverTeacherRoleSchema>;
export type CleverStaffRole = z.output<typeof CleverStaffRoleSchema>;
export type CleverDistrictAdminRole = z.output<typeof CleverDistrictAdminRoleSchema>;
export type CleverContactRole = z.output<typeof CleverContactRoleSchema>;
export type CleverRoles = z.output<typeof CleverRolesSchema>;
export type CleverUser = z.output<typeof CleverUserSchema>;
export type CleverSection = z.output<typeof CleverSectionSchema>;
export type CleverTerm = z.output<typeof CleverTermSchema>;
export type CleverCourse = z.output<typeof CleverCourseSchema>;
export type CleverEvent = z.output<typeof CleverEventSchema>;
export type CleverMe = z.output<typeof CleverMeSchema>;

export type CleverRoleName = 'student' | 'teacher' | 'staff' | 'district_admin' | 'contact';

/** The schema of each record type, by the last segment of its list path (`/v3.0/users` -> `users`). */
export const recordSchemas = {
  districts: CleverDistrictSchema,
  schools: CleverSchoolSchema,
  users: CleverUserSchema,
  sections: CleverSectionSchema,
  terms: CleverTermSchema,
  courses: CleverCourseSchema,
  events: CleverEventSchema,
} as const;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
