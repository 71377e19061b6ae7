// The roster as JSON pages for /api/admin/roster (../shared/notes/interface.md): the first page carries the
// district, schools, terms and courses; sections and then users follow in id order, `limit` records a page.
// Every query names the scope's district; ids from the request never choose it.
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { AppError, notFound } from '../errors';
import {
  scopedSchoolFilter,
  scopedSectionFilter,
  scopedUserFilter,
  type AdminScope,
} from '../access/admin-scope';
import { decodeCursor, encodeCursor } from './cursor';

const START = '00000000-0000-0000-0000-000000000000';

export interface ExportOptions {
  cursor?: string;
  includeArchived: boolean;
  limit?: number;
}

async function firstPageLists(prisma: PrismaClient, scope: AdminScope, active: { archivedAt?: null }) {
  const usedBySections = scope.schoolIds ? { sections: { some: { schoolId: { in: scope.schoolIds } } } } : {};
  const order = [{ name: 'asc' as const }, { id: 'asc' as const }];
  return Promise.all([
    prisma.school.findMany({
      where: { districtId: scope.districtId, ...scopedSchoolFilter(scope), ...active },
      orderBy: order,
    }),
    prisma.term.findMany({
      where: { districtId: scope.districtId, ...usedBySections, ...active },
      orderBy: order,
    }),
    prisma.course.findMany({
      where: { districtId: scope.districtId, ...usedBySections, ...active },
      orderBy: order,
    }),
  ]);
}

async function sectionPage(
  prisma: PrismaClient,
  scope: AdminScope,
  afterId: string,
  take: number,
  o: ExportOptions,
) {
  const where: Prisma.SectionWhereInput = { ...scopedSectionFilter(scope), id: { gt: afterId } };
  if (!o.includeArchived) where.archivedAt = null;
  const sections = await prisma.section.findMany({
    where,
    orderBy: { id: 'asc' },
    take,
    include: {
      school: { select: { cleverId: true } },
      term: { select: { cleverId: true } },
      course: { select: { cleverId: true } },
    },
  });
  const memberships = sections.length
    ? await prisma.sectionMembership.findMany({
        where: {
          sectionId: { in: sections.map((s) => s.id) },
          archivedAt: null,
          ...(o.includeArchived ? {} : { user: { archivedAt: null } }),
        },
        orderBy: { createdAt: 'asc' },
        select: { sectionId: true, role: true, user: { select: { cleverId: true } } },
      })
    : [];
  return { sections, memberships };
}

async function userPage(
  prisma: PrismaClient,
  scope: AdminScope,
  afterId: string,
  take: number,
  o: ExportOptions,
) {
  const where: Prisma.UserWhereInput = {
    AND: [scopedUserFilter(scope, o.includeArchived), { id: { gt: afterId } }],
  };
  if (!o.includeArchived) (where.AND as Prisma.UserWhereInput[]).push({ archivedAt: null });
  return prisma.user.findMany({ where, orderBy: { id: 'asc' }, take });
}

export async function getRosterExport(prisma: PrismaClient, scope: AdminScope, o: ExportOptions) {
  const limit = Math.min(Math.max(o.limit ?? 500, 1), 1000);
  const cursor = decodeCursor(o.cursor, 2);
  const phase = cursor?.[0] ?? 's';
  if (phase !== 's' && phase !== 'u') throw new AppError('bad_request', 'This page link is not valid.');
  const afterId = cursor?.[1] ?? START;
  const district = await prisma.district.findUnique({ where: { id: scope.districtId } });
  if (!district) throw notFound('District');
  const active = o.includeArchived ? {} : { archivedAt: null };
  const [schools, terms, courses] = cursor ? [[], [], []] : await firstPageLists(prisma, scope, active);

  let page: Omit<Awaited<ReturnType<typeof sectionPage>>, never> = { sections: [], memberships: [] };
  let next: string | null = null;
  let room = limit;
  let userAfter = phase === 'u' ? afterId : START;
  if (phase === 's') {
    const found = await sectionPage(prisma, scope, afterId, limit + 1, o);
    page = { sections: found.sections.slice(0, limit), memberships: found.memberships };
    if (found.sections.length > limit) next = encodeCursor(['s', page.sections[limit - 1]!.id]);
    room = limit - page.sections.length;
    userAfter = START;
  }
  let users: Awaited<ReturnType<typeof userPage>> = [];
  if (!next && room === 0) next = encodeCursor(['u', START]);
  if (!next) {
    const found = await userPage(prisma, scope, userAfter, room + 1, o);
    users = found.slice(0, room);
    if (found.length > room) next = encodeCursor(['u', users[room - 1]!.id]);
  }
  return { district, schools, terms, courses, ...page, users, next };
}

export type RosterExport = Awaited<ReturnType<typeof getRosterExport>>;
