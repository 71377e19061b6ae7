/** Stable names for the edge-case records of the sandbox datasets (documented in docs/sandbox.md). */
export interface Personas {
  districtId: string;
  secondDistrictId: string;
  student: string;
  studentTwoSchools: string;
  studentNoSections: string;
  studentSparse: string;
  studentNoEmail: string;
  studentEmptyEmail: string;
  studentApostrophe: string;
  studentNonAscii: string;
  studentCjk: string;
  studentLongSisId: string;
  teacher: string;
  teacherNoSections: string;
  teacherShortSisId: string;
  teacherEmailNoAt: string;
  coTeacher: string;
  sectionWithTenTeachers: string;
  sectionWithUnsharedStudent: string;
  coTaughtSection: string;
  unsharedStudent: string;
  multiRoleTeacherStaffAdmin: string;
  teacherAlsoContactTeacherId: string;
  teacherAlsoContactContactId: string;
  staff: string;
  districtAdmin: string;
  contact: string;
  contactNameOnlyLast: string;
  charterSchool: string;
  nearDuplicateSchools: string[];
  duplicateTermIds: string[];
  secondDistrictAdmin: string;
  secondDistrictTeacher: string;
  secondDistrictStudent: string;
  secondDistrictSchool: string;
}
