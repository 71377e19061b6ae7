// One person as an admin sees them: roles, schools, sections, how the account was matched to Clever, when it
// was archived or restored and why (the audit trail), and its progress history. Outside the admin's scope
// the person does not exist (404, the same as an unknown id).
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';
import { scopedUserFilter, type AdminScope } from '../access/admin-scope';

export async function getPersonDetail(prisma: PrismaClient, scope: AdminScope, userId: string) {
  const user = await prisma.user.findFirst({
    where: { AND: [{ id: userId }, scopedUserFilter(scope, true)] },
    include: {
      schoolMemberships: {
        include: { school: { select: { id: true, name: true, archivedAt: true } } },
        orderBy: [{ archivedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'asc' }],
      },
      sectionMemberships: {
        where: scope.schoolIds ? { section: { schoolId: { in: scope.schoolIds } } } : {},
        include: {
          section: {
            select: {
              id: true,
              name: true,
              localName: true,
              archivedAt: true,
              school: { select: { name: true } },
              term: { select: { name: true } },
            },
          },
        },
        orderBy: [{ archivedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'asc' }],
      },
    },
  });
  if (!user) throw notFound('Person');
  const [audit, progress, progressCount] = await Promise.all([
    prisma.auditEvent.findMany({
      where: { recordType: 'user', recordId: user.id },
      orderBy: { createdAt: 'desc' },
      take: 100,
    }),
    prisma.progress.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'desc' }, take: 50 }),
    prisma.progress.count({ where: { userId: user.id } }),
  ]);
  return { user, audit, progress, progressCount };
}

export type PersonDetail = Awaited<ReturnType<typeof getPersonDetail>>;
