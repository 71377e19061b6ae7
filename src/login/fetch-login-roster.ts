// What a login needs from Clever, read with the district-app token (an SSO token cannot read rosters).
// The number of requests depends on the number of schools involved, never on the number of sections or
// students: whole lists come from the user's and the schools' sub-resources, page by page.
import type { CleverDataClient } from '../clever/data-api';
import {
  CleverCourseSchema,
  CleverSchoolSchema,
  CleverTermSchema,
  CleverUserSchema,
  type CleverCourse,
  type CleverDistrict,
  type CleverSchool,
  type CleverSection,
  type CleverTerm,
  type CleverUser,
} from '../clever/clever-types';

export interface LoginRoster {
  district: CleverDistrict;
  user: CleverUser;
  schools: CleverSchool[];
  sections: CleverSection[];
  terms: CleverTerm[];
  courses: CleverCourse[];
  /** Students and teachers of the user's sections (for a teacher) or the user's teachers (for a student). */
  people: CleverUser[];
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

const enc = encodeURIComponent;

/** Returns null when Clever does not share this user with the app (404). */
export async function fetchLoginRoster(
  client: CleverDataClient,
  districtId: string,
  cleverUserId: string,
): Promise<LoginRoster | null> {
  const [district, user] = await Promise.all([client.getDistrict(districtId), client.getUser(cleverUserId)]);
  if (!user) return null;
  const isTeacher = Boolean(user.roles.teacher);
  const isStudent = Boolean(user.roles.student);
  const hasSchools = isTeacher || isStudent || Boolean(user.roles.staff);

  const [sections, ownSchools, people] = await Promise.all([
    isTeacher || isStudent ? collect(client.pages(`/users/${enc(user.id)}/sections`)) : Promise.resolve([]),
    hasSchools
      ? collect(client.pages(`/users/${enc(user.id)}/schools`, {}, CleverSchoolSchema))
      : Promise.resolve([]),
    isTeacher
      ? collect(client.pages(`/users/${enc(user.id)}/mystudents`, {}, CleverUserSchema))
      : isStudent
        ? collect(client.pages(`/users/${enc(user.id)}/myteachers`, {}, CleverUserSchema))
        : Promise.resolve([]),
  ]);
  const sectionList = sections as CleverSection[];

  // Sections may sit in schools the user is not enrolled in (cross-school classes).
  const schools = new Map(ownSchools.map((s) => [s.id, s]));
  const sectionSchoolIds = [...new Set(sectionList.map((s) => s.school))];
  const extraSchools = await Promise.all(
    sectionSchoolIds.filter((id) => !schools.has(id)).map((id) => client.getSchool(id)),
  );
  for (const school of extraSchools) if (school) schools.set(school.id, school);

  const termIds = new Set(sectionList.map((s) => s.term_id).filter(Boolean));
  const courseIds = new Set(sectionList.map((s) => s.course).filter(Boolean));
  const perSchool = await Promise.all(
    sectionSchoolIds.map(async (schoolId) => {
      const base = `/schools/${enc(schoolId)}`;
      const [terms, courses, teachers] = await Promise.all([
        termIds.size ? collect(client.pages(`${base}/terms`, {}, CleverTermSchema)) : [],
        courseIds.size ? collect(client.pages(`${base}/courses`, {}, CleverCourseSchema)) : [],
        // Co-teachers of a teacher's sections, with names and emails, in one list per school.
        isTeacher ? collect(client.pages(`${base}/users`, { role: 'teacher' }, CleverUserSchema)) : [],
      ]);
      return { terms, courses, teachers };
    }),
  );

  const sectionTeacherIds = new Set(
    sectionList.flatMap((s) => [s.teacher, ...(s.teachers ?? [])]).filter((id): id is string => Boolean(id)),
  );
  const schoolTeachers = perSchool.flatMap((p) => p.teachers).filter((t) => sectionTeacherIds.has(t.id));
  // A co-teacher based at another school is not in these lists: read them one by one (at most 9 per section,
  // and independent of the number of students).
  const known = new Set([user.id, ...schoolTeachers.map((t) => t.id)]);
  const elsewhere = isTeacher
    ? await Promise.all([...sectionTeacherIds].filter((id) => !known.has(id)).map((id) => client.getUser(id)))
    : [];
  const byId = <T extends { id: string }>(items: T[]) => [...new Map(items.map((i) => [i.id, i])).values()];
  return {
    district,
    user,
    schools: [...schools.values()],
    sections: sectionList,
    terms: byId(perSchool.flatMap((p) => p.terms)).filter((t) => termIds.has(t.id)),
    courses: byId(perSchool.flatMap((p) => p.courses)).filter((c) => courseIds.has(c.id)),
    people: byId([
      ...people,
      ...schoolTeachers.filter((t) => t.id !== user.id),
      ...elsewhere.filter((t): t is CleverUser => Boolean(t)),
    ]),
  };
}
