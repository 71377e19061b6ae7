import type { CleverCourse } from '../store/store-types';
import { seededRandom, type DatasetBuilder } from './builder';
import { COURSES, schools, terms } from './isd-catalog';
import { buildIsdPeople } from './isd-people';
import { buildIsdSections } from './isd-sections';
import type { Personas } from './personas';

// "Sandbox ISD": a five-school district in the spirit of Clever's Certification ISD, carrying every
// edge case of clever-api.md §7.3 and §8 item 12. Each special record is named in Personas.

type IsdPersonas = Omit<Personas, 'secondDistrictId' | `secondDistrict${string}`>;

export function buildSandboxIsd(b: DatasetBuilder): IsdPersonas {
  const rand = seededRandom(`${b.seed}:isd`);
  const district = b.district({
    name: 'Sandbox ISD',
    sis_type: 'sftp',
    launch_date: '2017-07-31',
    portal_url: 'https://clever.com/in/sandbox-isd',
    login_methods: ['Clever Badges', 'Clever Passwords'],
    last_sync: '2025-09-01T06:00:00.000Z',
    state: 'running',
    error: '',
    lms_state: '',
    lms_type: '',
  });
  const d = district.id;
  const s = schools(b, d);
  const termList = terms(b, d);
  const courses: CleverCourse[] = COURSES.map(([name, number]) => b.course(d, { name, number }));
  const people = buildIsdPeople(b, district, s, rand);
  const { coTaught, tenTeachers, withUnshared } = buildIsdSections(b, d, s, termList, courses, people);
  const {
    districtAdmin,
    multiRole,
    teacher,
    coTeacher,
    teacherNoSections,
    teacherAlsoContact,
    teacherEmailNoAt,
  } = people;
  const { staff, student, studentTwoSchools, studentNoSections, studentSparse, studentNoEmail } = people;
  const { studentEmptyEmail, studentApostrophe, studentNonAscii, studentCjk, studentLongSisId } = people;
  const { unsharedStudent, contact, contactNameOnlyLast, teacherAsContact } = people;
  return {
    districtId: d,
    student: student.id,
    studentTwoSchools: studentTwoSchools.id,
    studentNoSections: studentNoSections.id,
    studentSparse: studentSparse.id,
    studentNoEmail: studentNoEmail.id,
    studentEmptyEmail: studentEmptyEmail.id,
    studentApostrophe: studentApostrophe.id,
    studentNonAscii: studentNonAscii.id,
    studentCjk: studentCjk.id,
    studentLongSisId: studentLongSisId.id,
    teacher: teacher.id,
    teacherNoSections: teacherNoSections.id,
    teacherShortSisId: teacherNoSections.id,
    teacherEmailNoAt: teacherEmailNoAt.id,
    coTeacher: coTeacher.id,
    sectionWithTenTeachers: tenTeachers.id,
    sectionWithUnsharedStudent: withUnshared.id,
    coTaughtSection: coTaught.id,
    unsharedStudent: unsharedStudent.id,
    multiRoleTeacherStaffAdmin: multiRole.id,
    teacherAlsoContactTeacherId: teacherAlsoContact.id,
    teacherAlsoContactContactId: teacherAsContact.id,
    staff: staff.id,
    districtAdmin: districtAdmin.id,
    contact: contact.id,
    contactNameOnlyLast: contactNameOnlyLast.id,
    charterSchool: s.charter.id,
    nearDuplicateSchools: [s.rb.id, s.rb2.id],
    duplicateTermIds: [termList[0].id, termList[1].id],
  };
}
