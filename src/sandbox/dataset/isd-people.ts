import type { CleverDistrict, CleverSchool, CleverUser, StudentRole } from '../store/store-types';
import { FIRST_NAMES, GRADES_BY_LEVEL, LAST_NAMES, type DatasetBuilder } from './builder';
import { DOMAIN, levelOf, type IsdSchools } from './isd-catalog';

// The people of "Sandbox ISD": district admins, teachers, staff, students and contacts, each edge
// case of clever-api.md §7.3 on its own record. Creation order = id order (admins, teachers, staff,
// students, contacts).

export function buildIsdPeople(
  b: DatasetBuilder,
  district: CleverDistrict,
  s: IsdSchools,
  rand: () => number,
) {
  const d = district.id;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const employee = (first: string, last: string, email?: string) => ({
    name: { first, last },
    ...(email === undefined ? {} : { email }),
  });
  const teacherRole = (school: string, schoolList: string[], sis: string, extra: object = {}) => ({
    teacher: {
      school,
      schools: schoolList,
      sis_id: sis,
      teacher_number: sis,
      legacy_id: b.legacyId(),
      ...extra,
    },
  });

  // District admins first (Clever creates them before teachers).
  const districtAdmin = b.user(d, () => ({
    ...employee('Amelie', 'Zeng', `a.zeng@${DOMAIN}`),
    roles: { district_admin: { legacy_id: b.legacyId(), title: 'Director of Technology' } },
  }));
  district.district_contact = {
    id: districtAdmin.id,
    district: d,
    name: { first: 'Amelie', last: 'Zeng' },
    email: `a.zeng@${DOMAIN}`,
    title: '',
  };
  // NOTE: teacher + staff + district_admin merge into one user with one id in v3 (clever-api.md §3.3).
  const multiRole = b.user(d, () => ({
    ...employee('Danny', 'Brakus', `d.brakus@${DOMAIN}`),
    roles: {
      ...teacherRole(s.rb.id, [s.rb.id], '42'),
      staff: {
        roles: ['PortalOnly'],
        schools: [s.rb2.id],
        staff_id: '74001',
        legacy_id: b.legacyId(),
        title: 'Assistant Principal',
      },
      district_admin: { legacy_id: b.legacyId() },
    },
  }));

  const t = (
    first: string,
    last: string,
    school: CleverSchool,
    sis: string,
    more: Partial<CleverUser> = {},
    extra: object = {},
  ) =>
    b.user(d, () => ({
      ...employee(
        first,
        last,
        `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}@${DOMAIN}`,
      ),
      roles: teacherRole(school.id, [school.id], sis, {
        credentials: { district_username: `${first}${last}`.toLowerCase() },
        ...extra,
      }),
      ...more,
    }));
  const teacher = t(
    'Maria',
    'Alvarez',
    s.maple,
    '1001',
    {},
    { title: 'Grade 2 Teacher', ext: { admin_permissions: 'N' } },
  );
  const coTeacher = t('David', 'Chen', s.maple, '1002');
  coTeacher.roles.teacher!.schools = [s.maple.id, s.rb.id];
  // NOTE: very short sis_ids on employees (clever-api.md §7.3 item 18).
  const teacherNoSections = t('Priya', 'Natarajan', s.harbor, '4');
  const teacherAlsoContact = t('Pat', 'Kim', s.harbor, '47', { email: `pat.kim@${DOMAIN}` });
  // NOTE: teacher email without "@" (clever-api.md §7.3 item 9).
  const teacherEmailNoAt = t('Seth', 'Schoen', s.harbor, '48', { email: 'seth_schoen.example.org' });
  const oHara = t('Liam', "O'Hara", s.rb2, '69');
  const wu = t('Mei-Ling', 'Wu', s.charter, '77');
  const mensah = t('Kwame', 'Mensah', s.harbor, '1008', {}, { ext: { admin_permissions: 'Y' } });
  const johansson = t('Ingrid', 'Johansson', s.rb, '1009');
  const herrera = t('Tomás', 'Herrera', s.harbor, '1010');
  herrera.roles.teacher!.schools = [s.harbor.id, s.charter.id];
  const okafor = t('Grace', 'Okafor', s.maple, '1011');
  // NOTE: absurdly long district_username (clever-api.md §7.3 item 10).
  const fitz = t('Bartholomew', 'Fitzgerald-Montgomery', s.harbor, '1012');
  fitz.roles.teacher!.credentials = { district_username: 'bartholomewfitzgeraldmontgomery'.repeat(4) };

  // NOTE: staff have several schools and no primary school (clever-api.md §3.3 roles.staff).
  const staff = b.user(d, () => ({
    ...employee('Nora', 'Feldman', `n.feldman@${DOMAIN}`),
    roles: {
      staff: {
        roles: ['PortalOnly'],
        schools: [s.rb.id, s.rb2.id],
        staff_id: '74002',
        legacy_id: b.legacyId(),
        title: 'Counselor',
        department: 'Student Services',
        credentials: { district_username: 'nfeldman' },
      },
    },
  }));
  b.user(d, () => ({
    ...employee('Omar', 'Haddad', `o.haddad@${DOMAIN}`),
    roles: {
      staff: { roles: ['SchoolTechLead'], schools: [s.harbor.id], staff_id: '4', legacy_id: b.legacyId() },
    },
  }));

  // Students.
  const studentRole = (
    id: string,
    school: CleverSchool,
    sis: string,
    extra: Partial<StudentRole> = {},
  ): StudentRole => ({
    school: school.id,
    schools: [school.id],
    sis_id: sis,
    student_number: sis,
    state_id: `9${sis.slice(-8).padStart(8, '0')}`,
    legacy_id: id,
    enrollments: [],
    credentials: { district_username: `s${sis}` },
    dob: `${1 + Math.floor(rand() * 12)}/${1 + Math.floor(rand() * 28)}/${2008 + Math.floor(rand() * 10)}`,
    gender: pick(['M', 'F', 'X']),
    grade: pick(GRADES_BY_LEVEL[levelOf(s, school)]),
    graduation_year: '',
    race: pick(['Asian', 'Black or African American', 'Caucasian', 'Two or More Races', 'Unknown', '']),
    hispanic_ethnicity: pick(['Y', 'N', '']),
    ell_status: pick(['Y', 'N', '']),
    location: { address: '', city: '', state: '', zip: '11201' },
    ext: { gifted_status: '' },
    ...extra,
  });
  let sisCounter = 100095230;
  const st = (
    first: string,
    last: string,
    school: CleverSchool,
    email: string | null,
    extra: Partial<StudentRole> = {},
    more: Partial<CleverUser> = {},
  ) =>
    b.user(d, (id) => ({
      name: { first, last },
      ...(email === null ? {} : { email }),
      roles: { student: studentRole(id, school, String(sisCounter++), extra) },
      ...more,
    }));
  const student = st(
    'Steve',
    'Ziemann',
    s.maple,
    `z.steve@${DOMAIN}`,
    {
      grade: '2',
      gender: 'M',
      frl_status: 'Free',
      iep_status: 'N',
      home_language: 'English',
      home_language_code: 'eng',
      gifted_status: 'N',
      section_504_status: 'N',
      disability: { disability_status: 'N' },
      preferred_name: { first: 'Stevie' },
    },
    { name: { first: 'Steve', middle: 'G', last: 'Ziemann' }, lms_status: { synced_in_lms: false } },
  );
  // NOTE: primary school is not schools[0] for many multi-school students (clever-api.md §7.3 item 12).
  const studentTwoSchools = st('Ava', 'Thompson', s.harbor, `ava.thompson@${DOMAIN}`, {
    schools: [s.rb.id, s.harbor.id],
    grade: '9',
  });
  const studentNoSections = st('Noah', 'Patel', s.rb2, `noah.patel@${DOMAIN}`);
  // "Sparse profile": nothing but the guaranteed fields (clever-api.md §7.3, VALI).
  const studentSparse = b.user(d, (id) => ({
    name: { first: 'Sam', last: 'Rivers' },
    roles: {
      student: {
        school: s.charter.id,
        schools: [s.charter.id],
        sis_id: String(sisCounter++),
        legacy_id: id,
        enrollments: [],
      },
    },
  }));
  const studentNoEmail = st('Emma', 'Garcia', s.maple, null);
  const studentEmptyEmail = st('Lucas', 'Brown', s.rb, '');
  const studentApostrophe = st('Zoë', "O'Connor", s.rb2, `zoe.oconnor@${DOMAIN}`);
  const studentNonAscii = st('José', 'Núñez', s.harbor, `jose.nunez@${DOMAIN}`);
  const studentCjk = st('小明', '王', s.charter, `xiaoming.wang@${DOMAIN}`);
  const studentLongSisId = st('Harper', 'Quinlan', s.harbor, `h.quinlan@${DOMAIN}`);
  studentLongSisId.roles.student!.sis_id = '123456789012345678901234567890';
  const unsharedStudent = st('Mason', 'Reed', s.rb2, `mason.reed@${DOMAIN}`);

  const order = [s.maple, s.rb, s.rb2, s.harbor, s.charter];
  const generic: CleverUser[] = [];
  for (let i = 0; i < 49; i++) {
    const school = order[i % order.length];
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const extra: Partial<StudentRole> = {};
    // Every Rockaway Beach student also takes classes at Harbor High, listed first.
    if (school === s.rb) extra.schools = [s.harbor.id, s.rb.id];
    generic.push(
      st(
        first,
        last,
        school,
        i % 17 === 3 ? `${first}.${last}` : `${first}.${last}${i}@${DOMAIN}`.toLowerCase(),
        extra,
      ),
    );
  }
  const students = [
    student,
    studentTwoSchools,
    studentSparse,
    studentNoEmail,
    studentEmptyEmail,
    studentApostrophe,
    studentNonAscii,
    studentCjk,
    studentLongSisId,
    ...generic,
  ];

  // Contacts (never merged with employees: a teacher who is a parent has two ids; clever-api.md §3.3).
  const rel = (studentId: string, relationship: string, type: string) => ({
    student: studentId,
    relationship,
    type,
  });
  const contact = b.user(d, () => ({
    name: { first: 'Linda', last: 'Ziemann' },
    email: `linda.ziemann@home.example.net`,
    roles: {
      contact: {
        legacy_id: b.legacyId(),
        phone: '(718) 555-0101',
        phone_type: 'Cell',
        sis_id: 'C1001',
        student_relationships: [
          rel(student.id, 'Parent', 'Parent/Guardian'),
          rel(generic[0].id, 'Parent', 'Parent/Guardian'),
        ],
      },
    },
  }));
  // NOTE: contact with the full name in name.last only (clever-api.md §7.3 item 11).
  const contactNameOnlyLast = b.user(d, () => ({
    name: { last: 'Sanjiv Becker' },
    email: 'becker_sanjiv@example.org',
    roles: {
      contact: {
        legacy_id: b.legacyId(),
        phone: '',
        phone_type: 'Other',
        sis_id: '',
        student_relationships: [rel(studentTwoSchools.id, 'Other', 'Family')],
      },
    },
  }));
  const teacherAsContact = b.user(d, () => ({
    name: { first: 'Pat', last: 'Kim' },
    email: teacherAlsoContact.email,
    roles: {
      contact: {
        legacy_id: b.legacyId(),
        phone: '(718) 555-0147',
        phone_type: 'Home',
        sis_id: 'C1003',
        student_relationships: [rel(studentNonAscii.id, 'Parent', 'Primary')],
      },
    },
  }));
  b.user(d, () => ({
    name: { first: 'Rosa', last: 'Núñez' },
    roles: {
      contact: {
        legacy_id: b.legacyId(),
        phone: '(718) 555-0199',
        phone_type: 'Work',
        student_relationships: [rel(studentNonAscii.id, 'Grandparent', 'Emergency')],
      },
    },
  }));

  return {
    districtAdmin,
    multiRole,
    teacher,
    coTeacher,
    teacherNoSections,
    teacherAlsoContact,
    teacherEmailNoAt,
    oHara,
    wu,
    mensah,
    johansson,
    herrera,
    okafor,
    fitz,
    staff,
    student,
    studentTwoSchools,
    studentNoSections,
    studentSparse,
    studentNoEmail,
    studentEmptyEmail,
    studentApostrophe,
    studentNonAscii,
    studentCjk,
    studentLongSisId,
    unsharedStudent,
    generic,
    students,
    contact,
    contactNameOnlyLast,
    teacherAsContact,
  };
}

export type IsdPeople = ReturnType<typeof buildIsdPeople>;
