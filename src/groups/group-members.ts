// Who may be in a teacher's local group: only active students of active sections that teacher teaches
// (teacher or co-teacher). Anything else in the request is refused, not silently dropped.
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';

export async function assertTeachersStudents(
  tx: Prisma.TransactionClient,
  ownerId: string,
  memberIds: string[],
): Promise<void> {
  if (memberIds.length === 0) return;
  const allowed = await tx.sectionMembership.findMany({
    where: {
      userId: { in: memberIds },
      role: 'student',
      archivedAt: null,
      user: { archivedAt: null },
      section: {
        archivedAt: null,
        memberships: { some: { userId: ownerId, archivedAt: null, role: { in: ['teacher', 'co_teacher'] } } },
      },
    },
    select: { userId: true },
  });
  const ok = new Set(allowed.map((m) => m.userId));
  if (memberIds.some((id) => !ok.has(id))) {
    throw new AppError('bad_request', 'Groups can only hold students from your own classes.');
  }
}
