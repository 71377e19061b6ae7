import type { LazyUser } from '../store/records';
import type { CleverUser, Role } from '../store/store-types';
import { FIRST_NAMES, LAST_NAMES, type DatasetBuilder } from './builder';

export interface ScaleOptions {
  students: number;
  teachers?: number;
  sections?: number;
  studentsPerSection?: number;
}

function timestampOfId(id: string): string {
  const seconds = parseInt(id.slice(0, 8), 16);
  return new Date(seconds * 1000 + (parseInt(id.slice(-3), 16) % 1000)).toISOString();
}

/** A generated student held as (id, index, school); the Clever object is rebuilt on each read. */
class ScaleStudent implements LazyUser {
  readonly lazy = true;
  readonly role: Role = 'student';

  constructor(
    readonly id: string,
    private readonly index: number,
    private readonly district: string,
    readonly schools: readonly string[],
  ) {}

  expand(): CleverUser {
    const i = this.index;
    const first = FIRST_NAMES[(i * 7) % FIRST_NAMES.length];
    const last = LAST_NAMES[(i * 13) % LAST_NAMES.length];
    const sis = String(600000000 + i);
    const ts = timestampOfId(this.id);
    return {
      id: this.id,
      district: this.district,
      created: ts,
      last_modified: ts,
      name: { first, last },
      email: `${first}.${last}.${i}@scale-usd.example.org`.toLowerCase(),
      roles: {
        student: {
          school: this.schools[0],
          schools: [...this.schools],
          sis_id: sis,
          student_number: sis,
          legacy_id: this.id,
          enrollments: [],
          credentials: { district_username: `${first}${i}`.toLowerCase() },
          grade: String(1 + (i % 12)),
          gender: ['F', 'M', 'X'][i % 3],
          graduation_year: '',
        },
      },
    };
  }
}

/**
 * "Scale USD": a large generated district for load tests. Students stay lazy (see ScaleStudent);
 * by default each student sits in two sections of studentsPerSection (25) students.
 */
export function buildScaleDistrict(b: DatasetBuilder, opts: ScaleOptions): string {
  const studentCount = Math.max(1, Math.floor(opts.students));
  const perSection = Math.max(1, opts.studentsPerSection ?? 25);
  const sectionCount = Math.max(1, opts.sections ?? Math.ceil((studentCount * 2) / perSection));
  const teacherCount = Math.max(1, opts.teachers ?? Math.ceil(sectionCount / 5));
  const schoolCount = Math.min(100, Math.max(1, Math.ceil(studentCount / 2000)));
  const district = b.district({
    name: 'Scale USD',
    sis_type: 'sftp',
    launch_date: '2019-07-01',
    portal_url: 'https://clever.com/in/scale-usd',
    login_methods: ['Clever Badges', 'Google'],
    state: 'running',
    error: '',
  });
  const d = district.id;
  const schoolIds = Array.from(
    { length: schoolCount },
    (_, i) =>
      [
        b.school(d, { name: `Scale School ${i + 1}`, sis_id: `SC${i + 1}`, school_number: String(i + 1) }).id,
      ] as const,
  );
  const term = b.term(d, { name: '2025-2026', start_date: '2025-08-15', end_date: '2026-06-10' });
  const courses = Array.from({ length: 10 }, (_, i) =>
    b.course(d, { name: `Course ${i + 1}`, number: `C${i + 1}` }),
  );
  const admin = b.user(d, () => ({
    name: { first: 'Scale', last: 'Admin' },
    email: 'admin@scale-usd.example.org',
    roles: { district_admin: { legacy_id: b.legacyId() } },
  }));
  district.district_contact = {
    id: admin.id,
    district: d,
    name: { first: 'Scale', last: 'Admin' },
    title: '',
  };
  const schoolOfIndex = (i: number, count: number) => schoolIds[Math.floor((i * schoolCount) / count)];
  const teachers = Array.from({ length: teacherCount }, (_, i) =>
    b.user(d, () => {
      const [school] = schoolOfIndex(i, teacherCount);
      return {
        name: {
          first: FIRST_NAMES[i % FIRST_NAMES.length],
          last: `${LAST_NAMES[i % LAST_NAMES.length]}-${i}`,
        },
        email: `teacher${i}@scale-usd.example.org`,
        roles: { teacher: { school, schools: [school], sis_id: `T${i}`, legacy_id: b.legacyId() } },
      };
    }),
  );
  const studentIds: string[] = new Array(studentCount);
  for (let i = 0; i < studentCount; i++) {
    const id = b.ids.next();
    b.table.add('user', d, new ScaleStudent(id, i, d, schoolOfIndex(i, studentCount)));
    studentIds[i] = id;
  }
  for (let k = 0; k < sectionCount; k++) {
    const start = (k * perSection) % studentCount;
    const members = new Set<string>();
    for (let j = 0; j < Math.min(perSection, studentCount); j++)
      members.add(studentIds[(start + j) % studentCount]);
    const teacher = teachers[k % teacherCount];
    b.section(d, {
      school: teacher.roles.teacher!.school,
      name: `${courses[k % courses.length].name} - ${teacher.name.last} - ${k % 8}`,
      sis_id: `SEC${k}`,
      course: courses[k % courses.length].id,
      term_id: term.id,
      period: String(k % 8),
      teacher: teacher.id,
      teachers: [teacher.id],
      students: [...members].sort(),
    });
  }
  return d;
}
