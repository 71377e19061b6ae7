// What a signed-in user sees of themselves: their district, schools and active sections with teachers and
// (for teachers) students. Only active (not archived) records appear.
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';

export async function getUserOverview(prisma: PrismaClient, userId: string) {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    include: {
      district: true,
      schoolMemberships: {
        where: { archivedAt: null, school: { archivedAt: null } },
        include: { school: true },
      },
      sectionMemberships: {
        where: { archivedAt: null, section: { archivedAt: null } },
        include: {
          section: {
            include: {
              school: true,
              term: true,
              course: true,
              memberships: {
                where: { archivedAt: null, user: { archivedAt: null } },
                include: {
                  user: {
                    select: { id: true, cleverId: true, firstName: true, lastName: true, email: true },
                  },
                },
                orderBy: [{ role: 'asc' }, { createdAt: 'asc' }],
              },
            },
          },
        },
        orderBy: { createdAt: 'asc' },
      },
    },
  });
  if (!user) throw notFound('Account');
  return user;
}

export type UserOverview = Awaited<ReturnType<typeof getUserOverview>>;
