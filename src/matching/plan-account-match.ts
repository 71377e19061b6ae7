// Pure decision: may a Clever user be linked to an account that existed before Clever?
// Clever does not verify emails, and the same email may sit on an employee and on a contact or a student. So a
// link needs all of: an account of the same kind of person (a student account for a student record; a staff
// account for a teacher, staff or district-admin record; a contact account for a contact), in the same district
// (an account that belongs to no district is only ever proposed to an admin), exactly one such account, no
// other Clever user of that kind with the email, and — where the district named its verified email domains —
// an email in one of them. Anything else ambiguous is proposed to an admin (the review queue); an account of
// another kind is simply not a candidate. A Clever id is never moved.

export type RoleFamily = 'student' | 'staff' | 'contact';

const FAMILY: Record<string, RoleFamily> = {
  student: 'student',
  teacher: 'staff',
  staff: 'staff',
  district_admin: 'staff',
  contact: 'contact',
};

/** The kinds of person a set of roles describes (a teacher who is also a parent is staff and contact). */
export function roleFamilies(roles: readonly string[]): Set<RoleFamily> {
  return new Set(roles.map((r) => FAMILY[r]).filter((f): f is RoleFamily => Boolean(f)));
}

/** Every role of the same kinds of person: what another Clever user must share to "have the same email". */
export function rolesOfFamilies(families: Set<RoleFamily>): string[] {
  return Object.keys(FAMILY).filter((role) => families.has(FAMILY[role]));
}

/** An account may stand for this Clever user only if every kind of person it was made for is one of theirs. */
export function isSameKindOfPerson(cleverRoles: readonly string[], accountRoles: readonly string[]): boolean {
  const clever = roleFamilies(cleverRoles);
  const account = roleFamilies(accountRoles);
  return account.size > 0 && [...account].every((f) => clever.has(f));
}

export interface MatchInput {
  cleverId: string;
  emailNormalized: string | null;
  sisId: string | null;
  roles: readonly string[];
}

export interface Candidate {
  id: string;
  roles: readonly string[];
  /** False for an account imported without a district: never linked automatically. */
  inDistrict: boolean;
}

export interface MatchCandidates {
  /** Unlinked accounts (no Clever id) with the same normalised email, in the district or in none. */
  byEmail: Candidate[];
  /** Unlinked accounts with the same sis_id (only looked up when sis_id matching is on). */
  bySisId: Candidate[];
  /** Whether another Clever user of the same kind (stored or arriving in the same batch) has the same email. */
  emailSharedByOtherCleverUser: boolean;
}

export interface MatchOptions {
  matchStudentsBySisId: boolean;
  /** The district's verified email domains; empty = every domain (Clever's default, matching on). */
  verifiedEmailDomains?: readonly string[];
}

export type MatchPlan =
  | { kind: 'link'; userId: string; by: 'email' | 'sis_id' }
  | { kind: 'create' }
  | { kind: 'review'; candidateIds: string[]; reason: string };

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1);

export function planAccountMatch(input: MatchInput, c: MatchCandidates, options: MatchOptions): MatchPlan {
  const sameKind = (list: Candidate[]) => list.filter((a) => isSameKindOfPerson(input.roles, a.roles));
  const ids = (list: Candidate[]) => list.map((a) => a.id);

  if (options.matchStudentsBySisId && input.roles.includes('student') && input.sisId) {
    const bySis = sameKind(c.bySisId).filter((a) => a.roles.includes('student'));
    if (bySis.length === 1 && bySis[0].inDistrict) return { kind: 'link', userId: bySis[0].id, by: 'sis_id' };
    if (bySis.length > 1) {
      return { kind: 'review', candidateIds: ids(bySis), reason: 'several accounts have this sis_id' };
    }
    if (bySis.length === 1) {
      return {
        kind: 'review',
        candidateIds: ids(bySis),
        reason: 'the account with this sis_id has no district',
      };
    }
  }
  const byEmail = sameKind(c.byEmail);
  if (!input.emailNormalized || byEmail.length === 0) return { kind: 'create' };
  const review = (reason: string): MatchPlan => ({ kind: 'review', candidateIds: ids(byEmail), reason });
  if (c.emailSharedByOtherCleverUser) return review('another Clever user has the same email');
  if (byEmail.length > 1) return review('several existing accounts have this email');
  if (!byEmail[0].inDistrict) return review('the existing account belongs to no district');
  const domains = options.verifiedEmailDomains ?? [];
  if (domains.length && !domains.includes(domainOf(input.emailNormalized))) {
    return review("the email's domain is not one the district verified");
  }
  return { kind: 'link', userId: byEmail[0].id, by: 'email' };
}
