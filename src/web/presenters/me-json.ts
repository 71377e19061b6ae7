// Row -> JSON for /api/me (../shared/notes/interface.md). Internal fields and tokens never leave here.
import type { UserOverview } from '../../roster/user-overview';

export function presentMe(user: UserOverview) {
  return {
    id: user.id,
    cleverId: user.cleverId,
    name: { first: user.firstName, middle: user.middleName, last: user.lastName },
    email: user.email,
    roles: user.roles,
    matchedBy: user.matchedBy,
    district: user.district ? { cleverId: user.district.cleverId, name: user.district.name } : null,
    schools: user.schoolMemberships.map((m) => ({
      cleverId: m.school.cleverId,
      name: m.school.name,
      isPrimary: m.isPrimary,
    })),
    sections: user.sectionMemberships.map((m) => {
      const isTeacher = m.role !== 'student';
      const teachers = m.section.memberships.filter((x) => x.role !== 'student').map((x) => x.user.cleverId);
      const students = m.section.memberships.filter((x) => x.role === 'student').map((x) => x.user.cleverId);
      return {
        cleverId: m.section.cleverId,
        name: m.section.localName ?? m.section.name,
        role: isTeacher ? 'teacher' : 'student',
        teachers,
        ...(isTeacher ? { students } : {}),
      };
    }),
  };
}

export function presentProgress(item: { activity: string; score: number | null; createdAt: Date }) {
  return { activity: item.activity, score: item.score, createdAt: item.createdAt.toISOString() };
}

const nameOf = (u: { firstName: string | null; lastName: string | null }) =>
  [u.firstName, u.lastName].filter(Boolean).join(' ') || 'Name not shared';

/** The dashboard's view model: classes with teachers and, for teachers, students and co-teachers. */
export function presentDashboard(user: UserOverview, view: 'teacher' | 'student' | null) {
  const sections = user.sectionMemberships.map((m) => ({
    id: m.section.id,
    cleverId: m.section.cleverId,
    name: m.section.localName ?? m.section.name ?? 'Unnamed class',
    school: m.section.school?.name ?? null,
    term: m.section.term?.name ?? null,
    course: m.section.course?.name ?? null,
    period: m.section.period,
    myRole: m.role,
    teachers: m.section.memberships
      .filter((x) => x.role !== 'student')
      .map((x) => ({
        name: nameOf(x.user),
        isCoTeacher: x.role === 'co_teacher',
        isMe: x.user.id === user.id,
      })),
    students: m.section.memberships
      .filter((x) => x.role === 'student')
      .map((x) => ({ id: x.user.id, name: nameOf(x.user), email: x.user.email })),
  }));
  const teaching = sections.filter((s) => s.myRole !== 'student');
  const learning = sections.filter((s) => s.myRole === 'student');
  const chosen = view ?? (teaching.length ? 'teacher' : 'student');
  return {
    name: nameOf(user),
    roles: user.roles,
    district: user.district?.name ?? null,
    schools: user.schoolMemberships.map((m) => m.school.name),
    canSwitch: teaching.length > 0 && learning.length > 0,
    view: chosen,
    sections: chosen === 'teacher' ? teaching : learning,
  };
}
