// Pure mapping from Clever records to the columns this app stores. Every field Clever does not guarantee may
// be missing or "": the schemas already turned "" into null, and nothing here assumes a value is present.
import type {
  CleverCourse,
  CleverDistrict,
  CleverSchool,
  CleverSection,
  CleverTerm,
  CleverUser,
} from '../clever/clever-types';

export type RoleName = 'student' | 'teacher' | 'staff' | 'district_admin' | 'contact';
const ROLE_ORDER: RoleName[] = ['student', 'teacher', 'staff', 'district_admin', 'contact'];

export interface DistrictRow {
  cleverId: string;
  name: string;
  ncesId: string | null;
  mdrNumber: string | null;
  cleverState: string | null;
  cleverLastSync: string | null;
  pauseStart: string | null;
  pauseEnd: string | null;
}

export interface SchoolRow {
  cleverId: string;
  name: string;
  sisId: string | null;
  schoolNumber: string | null;
  stateId: string | null;
  ncesId: string | null;
  mdrNumber: string | null;
  lowGrade: string | null;
  highGrade: string | null;
  phone: string | null;
  principalName: string | null;
  principalEmail: string | null;
}

export interface UserRow {
  cleverId: string;
  roles: RoleName[];
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  email: string | null;
  emailNormalized: string | null;
  sisId: string | null;
  studentNumber: string | null;
  teacherNumber: string | null;
  staffId: string | null;
  stateId: string | null;
  grade: string | null;
  graduationYear: string | null;
  title: string | null;
  districtUsername: string | null;
  /** Clever id of the primary school (students and teachers only; staff have none). */
  primarySchoolCleverId: string | null;
  /** Every school the user belongs to, in any role. */
  schoolCleverIds: string[];
}

export interface TermRow {
  cleverId: string;
  name: string | null;
  startDate: string | null;
  endDate: string | null;
}

export interface CourseRow {
  cleverId: string;
  name: string | null;
  number: string | null;
}

export interface SectionRow {
  cleverId: string;
  schoolCleverId: string;
  termCleverId: string | null;
  courseCleverId: string | null;
  name: string | null;
  sisId: string | null;
  subject: string | null;
  grade: string | null;
  period: string | null;
  sectionNumber: string | null;
  /** Primary teacher first, then co-teachers (Clever allows 1 + 9). */
  teacherCleverIds: string[];
  studentCleverIds: string[];
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Trimmed and lower-cased; null when empty. Emails without '@' are kept: Clever does not validate them. */
export function normalizeEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim().toLowerCase();
  return trimmed ? trimmed : null;
}

export function mapDistrict(d: CleverDistrict): DistrictRow {
  return {
    cleverId: d.id,
    name: str(d.name) ?? 'Unnamed district',
    ncesId: str(d.nces_id),
    mdrNumber: str(d.mdr_number),
    cleverState: str(d.state),
    cleverLastSync: str(d.last_sync),
    pauseStart: str(d.pause_start),
    pauseEnd: str(d.pause_end),
  };
}

export function mapSchool(s: CleverSchool): SchoolRow {
  return {
    cleverId: s.id,
    name: str(s.name) ?? 'Unnamed school',
    sisId: str(s.sis_id),
    schoolNumber: str(s.school_number),
    stateId: str(s.state_id),
    ncesId: str(s.nces_id),
    mdrNumber: str(s.mdr_number),
    lowGrade: str(s.low_grade),
    highGrade: str(s.high_grade),
    phone: str(s.phone),
    principalName: str(s.principal?.name),
    principalEmail: str(s.principal?.email),
  };
}

export function userRoles(u: CleverUser): RoleName[] {
  return ROLE_ORDER.filter((role) => u.roles?.[role] != null);
}

export function mapUser(u: CleverUser): UserRow {
  const { student, teacher, staff, district_admin: admin, contact } = u.roles ?? {};
  const schools = new Set<string>();
  for (const id of [
    student?.school,
    teacher?.school,
    ...(student?.schools ?? []),
    ...(teacher?.schools ?? []),
    ...(staff?.schools ?? []),
  ]) {
    if (str(id)) schools.add(id as string);
  }
  return {
    cleverId: u.id,
    roles: userRoles(u),
    firstName: str(u.name?.first),
    middleName: str(u.name?.middle),
    lastName: str(u.name?.last),
    email: str(u.email),
    emailNormalized: normalizeEmail(str(u.email)),
    sisId: str(student?.sis_id) ?? str(teacher?.sis_id) ?? str(contact?.sis_id),
    studentNumber: str(student?.student_number),
    teacherNumber: str(teacher?.teacher_number),
    staffId: str(staff?.staff_id),
    stateId: str(student?.state_id) ?? str(teacher?.state_id),
    grade: str(student?.grade),
    graduationYear: str(student?.graduation_year),
    title: str(teacher?.title) ?? str(staff?.title) ?? str(admin?.title),
    districtUsername:
      str(student?.credentials?.district_username) ??
      str(teacher?.credentials?.district_username) ??
      str(staff?.credentials?.district_username),
    // NOTE: the primary school is `school`, which need not be schools[0] (clever-api.md §7.3 #12).
    primarySchoolCleverId: str(student?.school) ?? str(teacher?.school),
    schoolCleverIds: [...schools],
  };
}

export function mapTerm(t: CleverTerm): TermRow {
  return { cleverId: t.id, name: str(t.name), startDate: str(t.start_date), endDate: str(t.end_date) };
}

export function mapCourse(c: CleverCourse): CourseRow {
  return { cleverId: c.id, name: str(c.name), number: str(c.number) };
}

export function mapSection(s: CleverSection): SectionRow {
  const teachers: string[] = [];
  // NOTE: `teacher` is the primary; `teachers` lists primary first, then co-teachers (clever-api.md §3.4).
  for (const id of [s.teacher, ...(s.teachers ?? [])]) {
    if (str(id) && !teachers.includes(id as string)) teachers.push(id as string);
  }
  return {
    cleverId: s.id,
    schoolCleverId: s.school,
    termCleverId: str(s.term_id),
    courseCleverId: str(s.course),
    name: str(s.name),
    sisId: str(s.sis_id),
    subject: str(s.subject),
    grade: str(s.grade),
    period: str(s.period),
    sectionNumber: str(s.section_number),
    teacherCleverIds: teachers,
    studentCleverIds: [...new Set((s.students ?? []).filter((id) => str(id)))],
  };
}
