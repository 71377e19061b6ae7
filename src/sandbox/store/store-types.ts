// Clever's wire shapes (v3.1 superset) as the sandbox stores them. Optional keys are absent, not null,
// because Clever omits many non-guaranteed fields entirely (NOTE: clever-api.md §3, Appendix A).

export type RecordType = 'district' | 'school' | 'user' | 'section' | 'term' | 'course';
/** Record types a district can unshare, delete, rename... (districts only change state). */
export type MutableType = Exclude<RecordType, 'district'>;
export type Role = 'student' | 'teacher' | 'staff' | 'district_admin' | 'contact';
export type ApiVersion = 'v3.0' | 'v3.1';

export interface CleverName {
  first?: string;
  middle?: string;
  last?: string;
}

export interface CleverLocation {
  address?: string;
  city?: string;
  state?: string;
  zip?: string;
  lat?: string;
  lon?: string;
}

export interface CleverDistrict {
  id: string;
  name: string;
  sis_type: string;
  launch_date: string;
  portal_url: string;
  login_methods: string[];
  last_sync?: string;
  state?: string;
  error?: string;
  pause_start?: string;
  pause_end?: string;
  mdr_number?: string;
  nces_id?: string;
  district_contact?: { id: string; district: string; name: CleverName; email?: string; title: string };
  // v3.1 only
  lms_state?: string;
  lms_type?: string;
  last_attendance_sync?: string;
}

export interface CleverSchool {
  id: string;
  district: string;
  name: string;
  created: string;
  last_modified: string;
  sis_id: string;
  school_number: string;
  state_id?: string;
  nces_id?: string;
  mdr_number?: string;
  low_grade?: string;
  high_grade?: string;
  principal?: { name?: string; email?: string };
  location?: CleverLocation;
  phone?: string;
  ext?: Record<string, unknown>;
}

export interface StudentRole {
  school: string;
  schools: string[];
  sis_id: string;
  legacy_id: string;
  enrollments: { school: string; start_date: string; end_date: string }[];
  student_number?: string;
  state_id?: string;
  credentials?: { district_username: string };
  dob?: string;
  gender?: string;
  grade?: string;
  graduation_year?: string;
  race?: string;
  hispanic_ethnicity?: string;
  ell_status?: string;
  location?: CleverLocation;
  ext?: Record<string, unknown>;
  created?: string;
  last_modified?: string;
  // v3.1 only (sensitive; NOTE: clever-api.md §1, §3.3)
  frl_status?: string;
  iep_status?: string;
  home_language?: string;
  gifted_status?: string;
  section_504_status?: string;
  disability?: { disability_status?: string; disability_type?: string; disability_code?: string };
  home_language_code?: string;
  preferred_name?: CleverName;
}

export interface TeacherRole {
  school: string;
  schools: string[];
  sis_id: string;
  legacy_id: string;
  teacher_number?: string;
  state_id?: string;
  title?: string;
  credentials?: { district_username: string };
  ext?: Record<string, unknown>;
}

export interface StaffRole {
  legacy_id: string;
  roles: string[];
  schools: string[];
  staff_id: string;
  title?: string;
  department?: string;
  credentials?: { district_username: string };
  ext?: Record<string, unknown>;
}

export interface DistrictAdminRole {
  legacy_id: string;
  title?: string;
}

export interface StudentRelationship {
  student: string;
  relationship: string;
  type: string;
}

export interface ContactRole {
  legacy_id: string;
  phone?: string;
  phone_type?: string;
  sis_id?: string;
  student_relationships: StudentRelationship[];
}

export interface CleverRoles {
  student?: StudentRole;
  teacher?: TeacherRole;
  staff?: StaffRole;
  district_admin?: DistrictAdminRole;
  contact?: ContactRole;
}

export interface CleverUser {
  id: string;
  district: string;
  created: string;
  last_modified: string;
  name: CleverName;
  email?: string;
  roles: CleverRoles;
  lms_status?: { synced_in_lms: boolean }; // v3.1 only
}

export interface CleverSection {
  id: string;
  district: string;
  school: string;
  created: string;
  last_modified: string;
  name: string;
  sis_id: string;
  subject?: string;
  students: string[];
  teacher?: string;
  teachers: string[];
  grade?: string;
  course?: string;
  term_id?: string;
  section_number?: string;
  period?: string;
  ext?: Record<string, unknown>;
  lms_status?: { synced_in_lms: boolean }; // v3.1 only
}

export interface CleverTerm {
  id: string;
  district: string;
  name?: string;
  start_date?: string;
  end_date?: string;
}

export interface CleverCourse {
  id: string;
  district: string;
  name?: string;
  number?: string;
}

export type CleverObject =
  CleverDistrict | CleverSchool | CleverUser | CleverSection | CleverTerm | CleverCourse;

export interface TypeMap {
  district: CleverDistrict;
  school: CleverSchool;
  user: CleverUser;
  section: CleverSection;
  term: CleverTerm;
  course: CleverCourse;
}

export type EventType = `${'districts' | 'schools' | 'users' | 'sections' | 'terms' | 'courses'}.${
  'created' | 'updated' | 'deleted'}`;

export interface CleverEvent {
  id: string;
  type: EventType;
  created: string;
  data: { object: CleverObject; previous_attributes?: Record<string, unknown> };
}

export const PLURAL: Record<
  RecordType,
  'districts' | 'schools' | 'users' | 'sections' | 'terms' | 'courses'
> = {
  district: 'districts',
  school: 'schools',
  user: 'users',
  section: 'sections',
  term: 'terms',
  course: 'courses',
};
