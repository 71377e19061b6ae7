// One section as an admin sees it: school, term, course, teachers and students (archived memberships too,
// marked). Another district's section, or (for staff) another school's, is 404 like an unknown id.
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';
import { scopedSectionFilter, type AdminScope } from '../access/admin-scope';

export async function getSectionDetail(prisma: PrismaClient, scope: AdminScope, sectionId: string) {
  const section = await prisma.section.findFirst({
    where: { AND: [{ id: sectionId }, scopedSectionFilter(scope)] },
    include: {
      school: { select: { id: true, name: true } },
      term: { select: { name: true, startDate: true, endDate: true } },
      course: { select: { name: true, number: true } },
      memberships: {
        include: {
          user: {
            select: {
              id: true,
              firstName: true,
              lastName: true,
              email: true,
              sisId: true,
              archivedAt: true,
            },
          },
        },
        orderBy: [{ role: 'asc' }, { createdAt: 'asc' }],
      },
    },
  });
  if (!section) throw notFound('Section');
  return section;
}

export type SectionDetail = Awaited<ReturnType<typeof getSectionDetail>>;
