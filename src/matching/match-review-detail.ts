// One match review with both sides: the account created for the Clever user and the existing accounts that
// share its email, each with what linking would keep (its id, progress history, groups).
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';

const PERSON = {
  id: true,
  cleverId: true,
  firstName: true,
  lastName: true,
  email: true,
  roles: true,
  managedBy: true,
  archivedAt: true,
  createdAt: true,
  lastLoginAt: true,
  _count: { select: { progress: true, groupMemberships: true } },
} as const;

export async function getMatchReview(prisma: PrismaClient, districtId: string, reviewId: string) {
  const review = await prisma.matchReview.findFirst({ where: { id: reviewId, districtId } });
  if (!review) throw notFound('Review');
  const [account, candidates] = await Promise.all([
    prisma.user.findFirst({ where: { id: review.userId, districtId }, select: PERSON }),
    prisma.user.findMany({
      where: { id: { in: review.candidateUserIds }, OR: [{ districtId }, { districtId: null }] },
      select: PERSON,
      orderBy: { createdAt: 'asc' },
    }),
  ]);
  if (!account) throw notFound('Review');
  return { review, account, candidates };
}

export type MatchReviewDetail = Awaited<ReturnType<typeof getMatchReview>>;
