// A teacher splits one of their sections into a group (e.g. a reading group). The group is local: sync never
// changes or archives it, and its members must be students of that teacher's sections.
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';
import { assertTeachersStudents } from './group-members';
import { inTransaction } from '../db/transaction';

export interface CreateLocalGroupProps {
  ownerId: string;
  sectionId: string;
  name: string;
  memberIds: string[];
}

export async function createLocalGroup(prisma: PrismaClient, props: CreateLocalGroupProps) {
  const memberIds = [...new Set(props.memberIds)];
  return inTransaction({ prisma }, async ({ prisma: tx }) => {
    const section = await tx.section.findFirst({
      where: {
        id: props.sectionId,
        archivedAt: null,
        memberships: {
          some: { userId: props.ownerId, archivedAt: null, role: { in: ['teacher', 'co_teacher'] } },
        },
      },
      select: { id: true, districtId: true },
    });
    if (!section) throw notFound('Class');
    await assertTeachersStudents(tx, props.ownerId, memberIds);
    const group = await tx.group.create({
      data: {
        districtId: section.districtId,
        ownerId: props.ownerId,
        sectionId: section.id,
        name: props.name,
        managedBy: 'local',
        members: { create: memberIds.map((userId) => ({ userId })) },
      },
    });
    return { group, memberCount: memberIds.length };
  });
}
