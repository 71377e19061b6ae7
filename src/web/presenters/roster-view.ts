// View model of /admin/roster: counts, schools, filters and one page of people or sections.
import type { PeoplePage } from '../../roster/search-people';
import type { RosterSummary } from '../../roster/roster-summary';
import type { SectionsPage } from '../../roster/search-sections';
import { personName, queryString, roleLabel, ROLE_LABELS } from './format';

export interface RosterFilters {
  view: 'people' | 'sections';
  q?: string;
  school?: string;
  term?: string;
  role?: string;
  archived: boolean;
}

function presentPeople(page: PeoplePage) {
  return page.people.map((p) => ({
    href: `/admin/people/${p.id}`,
    name: personName(p),
    roles: p.roles.map(roleLabel).join(', '),
    email: p.email,
    sisId: p.sisId,
    schools: p.schoolMemberships.map((m) => m.school.name).join(', '),
    isArchived: p.archivedAt !== null,
  }));
}

function presentSections(page: SectionsPage) {
  return page.sections.map((s) => ({
    href: `/admin/sections/${s.id}`,
    name: s.localName ?? s.name ?? 'Unnamed section',
    school: s.school?.name ?? '',
    term: s.term?.name ?? '',
    course: s.course?.name ?? '',
    teachers: s.memberships
      .map((m) => personName(m.user) + (m.role === 'co_teacher' ? ' (co)' : ''))
      .join(', '),
    studentCount: s._count.memberships,
    isArchived: s.archivedAt !== null,
  }));
}

/** Links name the list, the saved search's opaque id and a page number: never a filter or a cursor. */
export interface RosterLinks {
  searchId: string | null;
  page: number;
  /** The next page's number when there is one (its cursor is kept with the saved search). */
  nextPage: number | null;
  /** The saved search was not found (another browser, or signed in again): shown unfiltered. */
  isExpired?: boolean;
}

const rosterHref = (view: string | null, searchId: string | null, page?: number, path = '/admin/roster') =>
  `${path}${queryString({ view, search: searchId, page: page && page > 1 ? String(page) : null })}`;

export function presentRoster(
  summary: RosterSummary,
  filters: RosterFilters,
  list: { kind: 'people'; page: PeoplePage } | { kind: 'sections'; page: SectionsPage },
  scope: { isDistrictAdmin: boolean },
  links: RosterLinks,
) {
  const view = filters.view === 'sections' ? 'sections' : null;
  const c = summary.counts;
  return {
    district: summary.district.name,
    scopeLabel: scope.isDistrictAdmin
      ? 'the whole district'
      : `your schools (${summary.schools.map((s) => s.name).join(', ')})`,
    counts: [
      { label: 'Students', value: c.student },
      { label: 'Teachers', value: c.teacher },
      { label: 'Staff', value: c.staff },
      { label: 'District admins', value: c.district_admin },
      { label: 'Sections', value: c.sections },
      { label: 'Archived people', value: c.archived },
      { label: 'Archived sections', value: c.archivedSections },
    ],
    schools: summary.schools.map((s) => ({
      name: s.name,
      href: `/admin/roster${queryString({ view: 'sections', school: s.id })}`,
      sectionCount: s.sectionCount,
      studentCount: s.studentCount,
      isArchived: s.archivedAt !== null,
      isSelected: s.id === filters.school,
      id: s.id,
    })),
    terms: summary.terms.map((t) => ({
      id: t.id,
      name: t.name ?? 'Unnamed term',
      isSelected: t.id === filters.term,
    })),
    roles: Object.entries(ROLE_LABELS).map(([value, label]) => ({
      value,
      label,
      isSelected: value === filters.role,
    })),
    filters,
    tabs: {
      people: rosterHref(null, links.searchId),
      sections: rosterHref('sections', links.searchId),
    },
    total: list.page.total,
    people: list.kind === 'people' ? presentPeople(list.page) : [],
    sections: list.kind === 'sections' ? presentSections(list.page) : [],
    nextHref: links.nextPage ? rosterHref(view, links.searchId, links.nextPage) : null,
    firstHref: links.page > 1 ? rosterHref(view, links.searchId) : null,
    exportHref: rosterHref(view, links.searchId, undefined, '/admin/roster/export.csv'),
    isExpired: links.isExpired ?? false,
  };
}

export type RosterView = ReturnType<typeof presentRoster>;
