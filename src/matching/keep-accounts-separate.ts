// An admin's other answer to a match review: the Clever user and the existing accounts are different people.
// Nothing moves; the review is closed and the decision audited.
import type { PrismaClient } from '../generated/prisma/client';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../db/audit';
import { inTransaction } from '../db/transaction';

export async function keepAccountsSeparate(
  prisma: PrismaClient,
  props: { reviewId: string; actorId: string; districtId: string },
) {
  return inTransaction({ prisma }, async ({ prisma: tx, sql }) => {
    const review = await tx.matchReview.findFirst({
      where: { id: props.reviewId, districtId: props.districtId },
    });
    if (!review) throw notFound('Review');
    const closed = await tx.matchReview.updateMany({
      where: { id: review.id, status: 'open' },
      data: { status: 'kept_separate', resolvedById: props.actorId, resolvedAt: new Date() },
    });
    if (closed.count === 0) throw new AppError('conflict', 'This review was already resolved.');
    await recordAudit(sql, { districtId: props.districtId, source: 'admin', actorId: props.actorId }, [
      {
        recordType: 'user',
        recordId: review.userId,
        action: 'kept_separate',
        reason: 'an admin decided this Clever user is not any existing account with the same email',
        details: { reviewId: review.id, candidateUserIds: review.candidateUserIds },
      },
    ]);
    return { reviewId: review.id, userId: review.userId };
  });
}
