// What a district admin or a school's staff sees first: how many people and sections they look after, how
// the sync stands, and what waits for them (a held sync, email matches to review). Staff see their schools'
// counts and when the district last synced; the sync runs and the review queue are the district admins'.
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';
import { scopedSectionFilter, type AdminScope } from '../access/admin-scope';
import { countPeople } from './people-counts';

export async function getDistrictOverview(prisma: PrismaClient, scope: AdminScope, userId: string) {
  const district = await prisma.district.findUnique({ where: { id: scope.districtId } });
  if (!district) throw notFound('District');
  const districtId = scope.districtId;
  const [people, sections, schools, lastSuccess, latest, held, openReviews, classCount] = await Promise.all([
    countPeople(prisma, scope),
    prisma.section.count({ where: { ...scopedSectionFilter(scope), archivedAt: null } }),
    prisma.school.findMany({
      where: { districtId, archivedAt: null, ...(scope.schoolIds ? { id: { in: scope.schoolIds } } : {}) },
      select: { name: true },
      orderBy: { name: 'asc' },
    }),
    prisma.syncRun.findFirst({
      where: { districtId, isDryRun: false, status: { in: ['succeeded', 'approved'] } },
      orderBy: { createdAt: 'desc' },
      select: { finishedAt: true, resolvedAt: true },
    }),
    scope.isDistrictAdmin
      ? prisma.syncRun.findFirst({ where: { districtId }, orderBy: { createdAt: 'desc' } })
      : null,
    scope.isDistrictAdmin
      ? prisma.syncRun.findFirst({ where: { districtId, status: 'held' }, orderBy: { createdAt: 'desc' } })
      : null,
    scope.isDistrictAdmin ? prisma.matchReview.count({ where: { districtId, status: 'open' } }) : 0,
    prisma.sectionMembership.count({ where: { userId, archivedAt: null, section: { archivedAt: null } } }),
  ]);
  return { district, scope, people, sections, schools, lastSuccess, latest, held, openReviews, classCount };
}

export type DistrictOverview = Awaited<ReturnType<typeof getDistrictOverview>>;
