// How each synced table is written by upsertRows (shared by login provisioning and the district sync).
import type { TableSpec } from './upsert-rows';

export const DISTRICT_TABLE: TableSpec = {
  table: 'District',
  key: ['cleverId'],
  columns: {
    cleverId: 'text',
    name: 'text',
    ncesId: 'text',
    mdrNumber: 'text',
    cleverState: 'text',
    cleverLastSync: 'timestamptz',
    pauseStart: 'timestamptz',
    pauseEnd: 'timestamptz',
    connection: 'enum:DistrictConnection',
  },
};

export const SCHOOL_TABLE: TableSpec = {
  table: 'School',
  key: ['cleverId'],
  columns: {
    cleverId: 'text',
    districtId: 'uuid',
    name: 'text',
    sisId: 'text',
    schoolNumber: 'text',
    stateId: 'text',
    ncesId: 'text',
    mdrNumber: 'text',
    lowGrade: 'text',
    highGrade: 'text',
    phone: 'text',
    principalName: 'text',
    principalEmail: 'text',
  },
};

export const TERM_TABLE: TableSpec = {
  table: 'Term',
  key: ['cleverId'],
  columns: { cleverId: 'text', districtId: 'uuid', name: 'text', startDate: 'text', endDate: 'text' },
};

export const COURSE_TABLE: TableSpec = {
  table: 'Course',
  key: ['cleverId'],
  columns: { cleverId: 'text', districtId: 'uuid', name: 'text', number: 'text' },
};

export const SECTION_TABLE: TableSpec = {
  table: 'Section',
  key: ['cleverId'],
  // `localName` is never written by sync: a name given in the app survives.
  columns: {
    cleverId: 'text',
    districtId: 'uuid',
    schoolId: 'uuid',
    termId: 'uuid',
    courseId: 'uuid',
    name: 'text',
    sisId: 'text',
    subject: 'text',
    grade: 'text',
    period: 'text',
    sectionNumber: 'text',
  },
};

export const USER_TABLE: TableSpec = {
  table: 'User',
  key: ['cleverId'],
  columns: {
    cleverId: 'text',
    districtId: 'uuid',
    roles: 'roles',
    firstName: 'text',
    middleName: 'text',
    lastName: 'text',
    email: 'text',
    emailNormalized: 'text',
    sisId: 'text',
    studentNumber: 'text',
    teacherNumber: 'text',
    staffId: 'text',
    stateId: 'text',
    grade: 'text',
    graduationYear: 'text',
    title: 'text',
    districtUsername: 'text',
    primarySchoolId: 'uuid',
    matchedBy: 'enum:MatchedBy',
    matchedAt: 'timestamptz',
  },
  insertOnly: ['matchedBy', 'matchedAt'],
  // Accounts made by hand in this app are never touched by Clever data.
  updateGuard: `"User"."managedBy" = 'clever'`,
};

export const SCHOOL_MEMBERSHIP_TABLE: TableSpec = {
  table: 'SchoolMembership',
  key: ['userId', 'schoolId'],
  columns: { userId: 'uuid', schoolId: 'uuid', isPrimary: 'bool' },
};

export const SECTION_MEMBERSHIP_TABLE: TableSpec = {
  table: 'SectionMembership',
  key: ['sectionId', 'userId'],
  columns: { sectionId: 'uuid', userId: 'uuid', role: 'enum:SectionRole' },
};
