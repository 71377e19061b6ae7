// The roster page's list as CSV, for a district's own checks in a spreadsheet. Cells a spreadsheet would run
// as a formula (starting with = + - @, or a tab or carriage return) get a leading apostrophe, so a name like
// "=HYPERLINK(...)" coming from Clever stays text (OWASP, "CSV Injection").
import type { PeoplePage } from '../../roster/search-people';
import type { SectionsPage } from '../../roster/search-sections';
import { personName, roleLabel } from './format';

export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: Array<string | number | boolean | null | undefined>) =>
  `${cells.map(csvCell).join(',')}\r\n`;

export const PEOPLE_CSV_HEADER = line([
  'name',
  'roles',
  'email',
  'sis_id',
  'schools',
  'clever_id',
  'archived',
]);
export const SECTIONS_CSV_HEADER = line([
  'section',
  'course',
  'school',
  'term',
  'teachers',
  'students',
  'clever_id',
  'archived',
]);

export function peopleCsvRows(page: PeoplePage): string {
  return page.people
    .map((p) =>
      line([
        personName(p),
        p.roles.map(roleLabel).join('; '),
        p.email,
        p.sisId,
        p.schoolMemberships.map((m) => m.school.name).join('; '),
        p.cleverId,
        p.archivedAt ? 'yes' : 'no',
      ]),
    )
    .join('');
}

export function sectionsCsvRows(page: SectionsPage): string {
  return page.sections
    .map((s) =>
      line([
        s.localName ?? s.name ?? 'Unnamed section',
        s.course?.name,
        s.school?.name,
        s.term?.name,
        s.memberships.map((m) => personName(m.user)).join('; '),
        s._count.memberships,
        s.cleverId,
        s.archivedAt ? 'yes' : 'no',
      ]),
    )
    .join('');
}
