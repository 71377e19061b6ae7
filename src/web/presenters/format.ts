// Small formatting helpers shared by the page presenters.
export const personName = (u: { firstName: string | null; lastName: string | null } | null | undefined) =>
  (u && [u.firstName, u.lastName].filter(Boolean).join(' ')) || 'Name not shared';

/** "2026-11-29 02:00 UTC": unambiguous for admins in any time zone. */
export function when(date: Date | null | undefined): string | null {
  return date ? `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC` : null;
}

export const ROLE_LABELS: Record<string, string> = {
  student: 'Student',
  teacher: 'Teacher',
  staff: 'Staff',
  district_admin: 'District admin',
  contact: 'Contact',
};

export const roleLabel = (role: string) => ROLE_LABELS[role] ?? role;

/** A query string from the non-empty values (for links that keep the current filters). */
export function queryString(values: Record<string, string | boolean | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === true) params.set(key, 'true');
    else if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
