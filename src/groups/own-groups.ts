// The local groups a teacher made, for their dashboard: name, section and member count.
import type { PrismaClient } from '../generated/prisma/client';

export async function listOwnGroups(prisma: PrismaClient, ownerId: string) {
  return prisma.group.findMany({
    where: { ownerId, managedBy: 'local', archivedAt: null },
    orderBy: [{ createdAt: 'asc' }],
    select: { id: true, name: true, sectionId: true, _count: { select: { members: true } } },
  });
}
