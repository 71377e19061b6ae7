// Pure decision: may a Clever user be linked to an account that existed before Clever?
// Rule (../shared/notes/interface.md, issue #4): link only when exactly one unlinked account in the district
// (or not yet assigned to one) has the same normalised email, and no other Clever user shares that email.
// Anything else is ambiguous: link nothing, create a new account, and ask an admin. Never move a Clever id.

export interface MatchInput {
  cleverId: string;
  emailNormalized: string | null;
  sisId: string | null;
  isStudent: boolean;
}

export interface MatchCandidates {
  /** Unlinked accounts (no Clever id) with the same normalised email. */
  byEmail: string[];
  /** Unlinked accounts with the same sis_id (only looked up when sis_id matching is on). */
  bySisId: string[];
  /** Whether another Clever user (stored or arriving in the same batch) has the same email. */
  emailSharedByOtherCleverUser: boolean;
}

export type MatchPlan =
  | { kind: 'link'; userId: string; by: 'email' | 'sis_id' }
  | { kind: 'create' }
  | { kind: 'review'; candidateIds: string[]; reason: string };

export function planAccountMatch(
  input: MatchInput,
  c: MatchCandidates,
  options: { matchStudentsBySisId: boolean },
): MatchPlan {
  if (options.matchStudentsBySisId && input.isStudent && input.sisId) {
    if (c.bySisId.length === 1) return { kind: 'link', userId: c.bySisId[0], by: 'sis_id' };
    if (c.bySisId.length > 1) {
      return { kind: 'review', candidateIds: c.bySisId, reason: 'several accounts have this sis_id' };
    }
  }
  if (!input.emailNormalized || c.byEmail.length === 0) return { kind: 'create' };
  if (c.emailSharedByOtherCleverUser) {
    return { kind: 'review', candidateIds: c.byEmail, reason: 'another Clever user has the same email' };
  }
  if (c.byEmail.length > 1) {
    return { kind: 'review', candidateIds: c.byEmail, reason: 'several existing accounts have this email' };
  }
  return { kind: 'link', userId: c.byEmail[0], by: 'email' };
}
