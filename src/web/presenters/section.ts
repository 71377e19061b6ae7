// View model of /admin/sections/:id: the section with its teachers and students (archived ones marked).
import type { SectionDetail } from '../../roster/section-detail';
import { personName, when } from './format';

export function presentSection(section: SectionDetail) {
  const people = section.memberships.map((m) => ({
    href: `/admin/people/${m.user.id}`,
    name: personName(m.user),
    email: m.user.email,
    sisId: m.user.sisId,
    role: m.role === 'co_teacher' ? 'Co-teacher' : m.role === 'teacher' ? 'Teacher' : 'Student',
    archivedAt: when(m.archivedAt ?? m.user.archivedAt),
  }));
  return {
    name: section.localName ?? section.name ?? 'Unnamed section',
    cleverName: section.localName ? section.name : null,
    school: section.school
      ? { name: section.school.name, href: `/admin/roster?view=sections&school=${section.school.id}` }
      : null,
    term: section.term?.name ?? null,
    course: section.course?.name ?? null,
    period: section.period,
    sisId: section.sisId,
    archived: section.archivedAt ? { at: when(section.archivedAt), reason: section.archiveReason } : null,
    teachers: people.filter((p) => p.role !== 'Student'),
    students: people.filter((p) => p.role === 'Student'),
    activeStudentCount: people.filter((p) => p.role === 'Student' && !p.archivedAt).length,
  };
}

export type SectionView = ReturnType<typeof presentSection>;
