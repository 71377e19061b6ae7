// A teacher renames their local group or changes who is in it (replacing the member list).
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';
import { assertTeachersStudents } from './group-members';
import { inTransaction } from '../db/transaction';

export interface UpdateLocalGroupProps {
  ownerId: string;
  groupId: string;
  name: string;
  memberIds: string[];
}

export async function updateLocalGroup(prisma: PrismaClient, props: UpdateLocalGroupProps) {
  const memberIds = [...new Set(props.memberIds)];
  return inTransaction({ prisma }, async ({ prisma: tx }) => {
    const group = await tx.group.findFirst({
      where: { id: props.groupId, ownerId: props.ownerId, managedBy: 'local', archivedAt: null },
    });
    if (!group) throw notFound('Group');
    await assertTeachersStudents(tx, props.ownerId, memberIds);
    await tx.groupMember.deleteMany({ where: { groupId: group.id, userId: { notIn: memberIds } } });
    await tx.groupMember.createMany({
      data: memberIds.map((userId) => ({ groupId: group.id, userId })),
      skipDuplicates: true,
    });
    const updated = await tx.group.update({ where: { id: group.id }, data: { name: props.name } });
    return { group: updated, memberCount: memberIds.length };
  });
}
