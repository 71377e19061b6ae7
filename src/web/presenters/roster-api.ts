// Row -> JSON for /api/admin/roster, exactly the shape in docs/api.md. Local ids, tokens
// and internal columns stay out.
import type { RosterExport } from '../../roster/roster-export';

const named = (r: { cleverId: string | null; name: string | null; archivedAt: Date | null }) => ({
  cleverId: r.cleverId,
  name: r.name,
  archived: r.archivedAt !== null,
});

export function presentRosterExport(page: RosterExport) {
  const teachers = new Map<string, string[]>();
  const students = new Map<string, string[]>();
  for (const m of page.memberships) {
    if (!m.user.cleverId) continue;
    const into = m.role === 'student' ? students : teachers;
    into.set(m.sectionId, [...(into.get(m.sectionId) ?? []), m.user.cleverId]);
  }
  return {
    district: { cleverId: page.district.cleverId, name: page.district.name },
    schools: page.schools.map(named),
    terms: page.terms.map(named),
    courses: page.courses.map(named),
    sections: page.sections.map((s) => ({
      cleverId: s.cleverId,
      name: s.localName ?? s.name,
      archived: s.archivedAt !== null,
      school: s.school?.cleverId ?? null,
      term: s.term?.cleverId ?? null,
      course: s.course?.cleverId ?? null,
      teachers: teachers.get(s.id) ?? [],
      students: students.get(s.id) ?? [],
    })),
    users: page.users.map((u) => ({
      cleverId: u.cleverId,
      roles: u.roles,
      name: { first: u.firstName, middle: u.middleName, last: u.lastName },
      email: u.email,
      archived: u.archivedAt !== null,
      matchedBy: u.matchedBy,
    })),
    next: page.next,
  };
}
