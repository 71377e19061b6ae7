import type { CleverCourse, CleverSchool, CleverSection, CleverTerm, CleverUser } from '../store/store-types';
import { GRADES_BY_LEVEL, type DatasetBuilder } from './builder';
import { COURSES, levelOf, type IsdSchools } from './isd-catalog';
import type { IsdPeople } from './isd-people';

// Sections of "Sandbox ISD": per school, each student joins two sections; plus a co-taught section,
// one with 1 primary + 9 co-teachers, and one still listing an unshared student.

export function buildIsdSections(
  b: DatasetBuilder,
  d: string,
  s: IsdSchools,
  termList: CleverTerm[],
  courses: CleverCourse[],
  people: IsdPeople,
) {
  const { teacher, okafor, coTeacher, johansson, multiRole, oHara, mensah, teacherAlsoContact } = people;
  const { teacherEmailNoAt, herrera, fitz, wu, students, studentApostrophe, unsharedStudent } = people;
  // Sections: per school, each student joins two of the school's sections.
  const [, termY1, fall] = termList;
  const plan: [CleverSchool, CleverUser[]][] = [
    [s.maple, [teacher, teacher, teacher, okafor, okafor, coTeacher]],
    [s.rb, [johansson, johansson, multiRole, coTeacher]],
    [s.rb2, [oHara, oHara, oHara]],
    [s.harbor, [mensah, mensah, teacherAlsoContact, teacherEmailNoAt, herrera, fitz]],
    [s.charter, [wu, wu, herrera]],
  ];
  const sections: CleverSection[] = [];
  let period = 0;
  for (const [school, teachers] of plan) {
    const members = students.filter((u) => u.roles.student!.schools.includes(school.id));
    const created = teachers.map((tch, i) => {
      const [courseName, , subject] = COURSES[(sections.length + i) % COURSES.length];
      const course = courses[(sections.length + i) % courses.length];
      return b.section(d, {
        school: school.id,
        name: `${courseName} - ${tch.name.last} - ${period % 8}`,
        sis_id: String(700 + sections.length + i),
        subject,
        grade: GRADES_BY_LEVEL[levelOf(s, school)][i % GRADES_BY_LEVEL[levelOf(s, school)].length],
        course: course.id,
        term_id: (i === 1 ? fall : termY1).id,
        period: String(period++ % 8),
        section_number: i % 2 ? '' : String(i + 1),
        teacher: tch.id,
        teachers: [tch.id],
        students: [],
        ext: i === 0 ? { classroom: `A${period}` } : {},
        lms_status: { synced_in_lms: false },
      });
    });
    members.forEach((u, k) => {
      created[k % created.length].students.push(u.id);
      if (created.length > 1) created[(k + 1) % created.length].students.push(u.id);
    });
    sections.push(...created);
  }
  // Co-teaching: David Chen co-teaches Maria Alvarez's first section (primary stays teachers[0]).
  const coTaught = sections[0];
  coTaught.teachers.push(coTeacher.id);
  // Clever's limit: 1 primary + 9 co-teachers (NOTE: clever-api.md §7.4 co-teachers).
  const coTeachers = [
    coTeacher,
    multiRole,
    teacherAlsoContact,
    teacherEmailNoAt,
    oHara,
    wu,
    johansson,
    herrera,
    okafor,
  ];
  const tenTeachers = b.section(d, {
    school: s.harbor.id,
    name: 'Team-Taught Seminar - Mensah - 3',
    sis_id: '790',
    subject: 'interventions/online learning',
    grade: '10',
    term_id: termY1.id,
    period: '3',
    section_number: '',
    teacher: mensah.id,
    teachers: [mensah.id, ...coTeachers.map((u) => u.id)],
    students: students.filter((u) => u.roles.student!.school === s.harbor.id).map((u) => u.id),
  });
  // A section still listing a student who is no longer shared (fetching that id answers 404).
  const withUnshared = b.section(d, {
    school: s.rb2.id,
    name: "Study Hall - O'Hara - 7",
    sis_id: '5',
    subject: 'other',
    course: courses[0].id,
    term_id: termList[0].id,
    period: '7',
    teacher: oHara.id,
    teachers: [oHara.id],
    students: [studentApostrophe.id, unsharedStudent.id],
  });
  b.table.setStatus(unsharedStudent.id, 'unshared');

  return { coTaught, tenTeachers, withUnshared };
}
