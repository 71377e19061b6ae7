// View models of the group pages: the "new group" form for a section, and a group with its members.
import type { LocalGroup } from '../../groups/local-group';
import type { TaughtSection } from '../../roster/teacher-section';
import { personName } from './format';

const student = (
  u: { id: string; firstName: string | null; lastName: string | null },
  chosen: Set<string>,
) => ({
  id: u.id,
  name: personName(u),
  isChosen: chosen.has(u.id),
});

export function presentGroupForm(
  section: TaughtSection,
  values: { name?: string; memberIds?: string[] } = {},
) {
  const chosen = new Set(values.memberIds ?? []);
  return {
    sectionId: section.id,
    sectionName: section.localName ?? section.name ?? 'Unnamed class',
    school: section.school?.name ?? null,
    name: values.name ?? '',
    students: section.memberships.map((m) => student(m.user, chosen)),
  };
}

export function presentGroup(group: LocalGroup) {
  const chosen = new Set(group.members.map((m) => m.userId));
  return {
    id: group.id,
    name: group.name,
    section: group.section
      ? { name: group.section.localName ?? group.section.name ?? 'Unnamed class' }
      : null,
    members: group.members.map((m) => ({ name: personName(m.user), isArchived: m.user.archivedAt !== null })),
    students: (group.section?.memberships ?? []).map((m) => student(m.user, chosen)),
    action: `/groups/${group.id}`,
  };
}

/** A teacher's groups by the section they were made from (for the dashboard). */
export function presentOwnGroups(
  groups: Array<{ id: string; name: string; sectionId: string | null; _count: { members: number } }>,
) {
  const bySection: Record<string, Array<{ href: string; name: string; memberCount: number }>> = {};
  for (const g of groups) {
    (bySection[g.sectionId ?? ''] ??= []).push({
      href: `/groups/${g.id}`,
      name: g.name,
      memberCount: g._count.members,
    });
  }
  return bySection;
}

export type GroupFormView = ReturnType<typeof presentGroupForm>;
export type GroupView = ReturnType<typeof presentGroup>;
