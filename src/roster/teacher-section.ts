// A section as its teacher sees it when making groups: only a section this person teaches (teacher or
// co-teacher, active), with its active students. Anyone else's section is 404, like an unknown id.
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';

export async function getTaughtSection(prisma: PrismaClient, teacherId: string, sectionId: string) {
  const section = await prisma.section.findFirst({
    where: {
      id: sectionId,
      archivedAt: null,
      memberships: {
        some: { userId: teacherId, archivedAt: null, role: { in: ['teacher', 'co_teacher'] } },
      },
    },
    include: {
      school: { select: { name: true } },
      memberships: {
        where: { role: 'student', archivedAt: null, user: { archivedAt: null } },
        select: { user: { select: { id: true, firstName: true, lastName: true } } },
        orderBy: { createdAt: 'asc' },
      },
    },
  });
  if (!section) throw notFound('Class');
  return section;
}

export type TaughtSection = Awaited<ReturnType<typeof getTaughtSection>>;
