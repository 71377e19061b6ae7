// View model of /admin/reviews/:id: the account made for the Clever user and the existing accounts it might be.
import type { MatchReviewDetail } from '../../matching/match-review-detail';
import { personName, roleLabel, when } from './format';

type Person = MatchReviewDetail['account'];

const presentAccount = (u: NonNullable<Person>) => ({
  id: u.id,
  href: `/admin/people/${u.id}`,
  name: personName(u),
  email: u.email,
  roles: u.roles.map(roleLabel).join(', ') || 'none',
  createdAt: when(u.createdAt),
  lastLoginAt: when(u.lastLoginAt) ?? 'never',
  progress: u._count.progress,
  groups: u._count.groupMemberships,
  isLinkable: !u.cleverId && !u.archivedAt,
});

export function presentMatchReview({ review, account, candidates }: MatchReviewDetail) {
  return {
    id: review.id,
    isOpen: review.status === 'open',
    status:
      review.status === 'linked' ? 'Linked' : review.status === 'kept_separate' ? 'Kept separate' : 'Open',
    resolvedAt: when(review.resolvedAt),
    reason: review.reason,
    account: account ? presentAccount(account) : null,
    candidates: candidates.map(presentAccount),
    linkAction: `/admin/reviews/${review.id}/link`,
    keepAction: `/admin/reviews/${review.id}/keep-separate`,
  };
}

export type MatchReviewView = ReturnType<typeof presentMatchReview>;
