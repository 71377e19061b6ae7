// A local group (made in this app, never changed by sync) as its owner sees it: members, the section it was
// made from and that section's students (to edit membership). Other people's groups are 404.
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';

export async function getLocalGroup(prisma: PrismaClient, ownerId: string, groupId: string) {
  const group = await prisma.group.findFirst({
    where: { id: groupId, ownerId, managedBy: 'local', archivedAt: null },
    include: {
      members: {
        include: { user: { select: { id: true, firstName: true, lastName: true, archivedAt: true } } },
        orderBy: { createdAt: 'asc' },
      },
      section: {
        select: {
          id: true,
          name: true,
          localName: true,
          memberships: {
            where: { role: 'student', archivedAt: null, user: { archivedAt: null } },
            select: { user: { select: { id: true, firstName: true, lastName: true } } },
            orderBy: { createdAt: 'asc' },
          },
        },
      },
    },
  });
  if (!group) throw notFound('Group');
  return group;
}

export type LocalGroup = Awaited<ReturnType<typeof getLocalGroup>>;
