// The review queue: email matches that were not safe to make automatically (two accounts with one email,
// or an email another Clever user shares), waiting for a district admin of that district.
import type { PrismaClient } from '../generated/prisma/client';

export async function listOpenMatchReviews(prisma: PrismaClient, districtId: string, limit = 50) {
  const reviews = await prisma.matchReview.findMany({
    where: { districtId, status: 'open' },
    orderBy: { createdAt: 'asc' },
    take: limit,
  });
  const total = await prisma.matchReview.count({ where: { districtId, status: 'open' } });
  const users = await prisma.user.findMany({
    where: { id: { in: reviews.map((r) => r.userId) }, districtId },
    select: { id: true, firstName: true, lastName: true, email: true, roles: true },
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  return {
    total,
    reviews: reviews.map((r) => ({ ...r, user: byId.get(r.userId) ?? null })),
  };
}

export type OpenMatchReviews = Awaited<ReturnType<typeof listOpenMatchReviews>>;
