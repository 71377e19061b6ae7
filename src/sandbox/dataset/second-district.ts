import type { DatasetBuilder } from './builder';
import type { Personas } from './personas';

type SecondPersonas = Pick<
  Personas,
  | 'secondDistrictId'
  | 'secondDistrictAdmin'
  | 'secondDistrictTeacher'
  | 'secondDistrictStudent'
  | 'secondDistrictSchool'
>;

/** A small second district: its token must never see Sandbox ISD records and vice versa. */
export function buildSecondDistrict(b: DatasetBuilder): SecondPersonas {
  const district = b.district({
    name: 'Second District',
    sis_type: 'clever',
    launch_date: '2021-08-15',
    portal_url: 'https://clever.com/in/second-district',
    login_methods: ['Google'],
    last_sync: '2025-09-01T07:00:00.000Z',
    state: 'success',
    error: '',
    mdr_number: '04855391',
    nces_id: '0612345',
  });
  const d = district.id;
  const school = b.school(d, {
    name: 'Second Street Elementary',
    sis_id: 'SSE',
    school_number: '201',
    low_grade: 'Kindergarten',
    high_grade: '5',
    location: { address: '2 Second St', city: 'Oakland', state: 'CA', zip: '94607' },
  });
  const term = b.term(d, { name: '2025-2026', start_date: '2025-08-15', end_date: '2026-06-10' });
  const course = b.course(d, { name: 'Reading', number: 'R1' });
  const admin = b.user(d, () => ({
    name: { first: 'Hollis', last: 'Grant' },
    email: 'h.grant@second.example.org',
    roles: { district_admin: { legacy_id: b.legacyId(), title: 'Superintendent' } },
  }));
  district.district_contact = {
    id: admin.id,
    district: d,
    name: { first: 'Hollis', last: 'Grant' },
    email: 'h.grant@second.example.org',
    title: 'Superintendent',
  };
  const teacher = b.user(d, () => ({
    name: { first: 'Ruth', last: 'Okonkwo' },
    email: 'r.okonkwo@second.example.org',
    roles: {
      teacher: {
        school: school.id,
        schools: [school.id],
        sis_id: 'T-1',
        teacher_number: 'T-1',
        legacy_id: b.legacyId(),
      },
    },
  }));
  const students = ['Ada Park', 'Ben Ortiz', 'Cleo Hart', 'Dev Rao'].map((full, i) =>
    b.user(d, (id) => {
      const [first, last] = full.split(' ');
      return {
        name: { first, last },
        email: `${first.toLowerCase()}@second.example.org`,
        roles: {
          student: {
            school: school.id,
            schools: [school.id],
            sis_id: `S-${i + 1}`,
            legacy_id: id,
            enrollments: [],
            grade: '3',
          },
        },
      };
    }),
  );
  for (const [i, name] of ['Reading - Okonkwo - 1', 'Reading - Okonkwo - 2'].entries()) {
    b.section(d, {
      school: school.id,
      name,
      sis_id: `SEC-${i + 1}`,
      subject: 'english/language arts',
      course: course.id,
      term_id: term.id,
      period: String(i + 1),
      teacher: teacher.id,
      teachers: [teacher.id],
      students: students.filter((_, k) => k % 2 === i || k === 0).map((u) => u.id),
    });
  }
  return {
    secondDistrictId: d,
    secondDistrictAdmin: admin.id,
    secondDistrictTeacher: teacher.id,
    secondDistrictStudent: students[0].id,
    secondDistrictSchool: school.id,
  };
}
