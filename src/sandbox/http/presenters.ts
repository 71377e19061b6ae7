import type { ApiVersion, CleverObject, CleverUser, MutableType, RecordType } from '../store/store-types';
import { PLURAL } from '../store/store-types';

// v3.1 is a superset of v3.0: these keys must not appear in v3.0 answers (clever-api.md §1, SW30/SW31 diff).
const V31_ONLY: Partial<Record<RecordType, string[]>> = {
  district: ['lms_state', 'lms_type', 'last_attendance_sync'],
  user: ['lms_status'],
  section: ['lms_status'],
};
const V31_ONLY_STUDENT = [
  'frl_status',
  'iep_status',
  'home_language',
  'gifted_status',
  'section_504_status',
  'disability',
  'home_language_code',
  'preferred_name',
];

/** A record (or a partial one, e.g. previous_attributes) as the given API version shows it. */
export function present<T extends object>(type: RecordType, object: T, version: ApiVersion): T {
  if (version === 'v3.1') return object;
  const out = { ...object } as Record<string, unknown>;
  for (const key of V31_ONLY[type] ?? []) delete out[key];
  const roles = out.roles as CleverUser['roles'] | undefined;
  if (type === 'user' && roles?.student) {
    const student = { ...roles.student } as Record<string, unknown>;
    for (const key of V31_ONLY_STUDENT) delete student[key];
    out.roles = { ...roles, student };
  }
  return out as T;
}

export function uriOf(type: RecordType, id: string, version: ApiVersion): string {
  return `/${version}/${PLURAL[type]}/${id}`;
}

const SUB_RESOURCES: Record<MutableType, string[]> = {
  school: ['district', 'courses', 'sections', 'terms', 'users'],
  section: ['district', 'school', 'term', 'course', 'users'],
  term: ['district', 'schools', 'sections'],
  course: ['district', 'schools', 'sections'],
  user: ['district', 'sections', 'schools'],
};

/**
 * Links of a single-object answer. NOTE: recorded user answers carry self, district, sections,
 * schools and camelCase myContacts/myTeachers/myStudents by role (clever-api.md §3.3).
 */
export function objectLinks(type: RecordType, object: CleverObject, version: ApiVersion) {
  const self = uriOf(type, object.id, version);
  const rels = type === 'district' ? [] : [...SUB_RESOURCES[type]];
  if (type === 'user') {
    const roles = (object as CleverUser).roles;
    if (roles.student) rels.push('myContacts', 'myTeachers');
    if (roles.teacher || roles.contact) rels.push('myStudents');
  }
  return [{ rel: 'self', uri: self }, ...rels.map((rel) => ({ rel, uri: `${self}/${rel}` }))];
}

export function singleEnvelope(type: RecordType, object: CleverObject, version: ApiVersion) {
  return { data: present(type, object, version), links: objectLinks(type, object, version) };
}

/** NOTE: SSO tokens read a limited user: identity, names, email and role membership (clever-api.md §9). */
export function ssoUserView(user: CleverUser): CleverUser {
  const keep = [
    'school',
    'schools',
    'sis_id',
    'legacy_id',
    'student_number',
    'teacher_number',
    'staff_id',
    'roles',
    'title',
    'grade',
    'credentials',
    'student_relationships',
  ];
  const roles: Record<string, unknown> = {};
  for (const [role, fields] of Object.entries(user.roles)) {
    roles[role] = Object.fromEntries(Object.entries(fields as object).filter(([k]) => keep.includes(k)));
  }
  const { lms_status: _lms, ...rest } = user;
  return { ...rest, roles: roles as CleverUser['roles'] };
}
