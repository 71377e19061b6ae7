// The people list of the roster page: search by name, email or sis_id, filter by school, term, role and
// archived, sorted by name, one keyset page at a time (ORDER BY lastName, firstName, id; the
// (districtId, lastName, firstName) index serves it — no OFFSET over a 50k-student district).
import type { Prisma, PrismaClient, Role } from '../generated/prisma/client';
import { scopedUserFilter, type AdminScope } from '../access/admin-scope';
import { decodeCursor, encodeCursor, keysetAfter } from './cursor';

export interface PeopleFilters {
  q?: string;
  schoolId?: string;
  termId?: string;
  role?: Role;
  includeArchived?: boolean;
  cursor?: string;
  limit?: number;
  /** false: skip counting every match (the CSV export reads all pages and needs no total). */
  countTotal?: boolean;
}

function searchTerms(q: string | undefined): Prisma.UserWhereInput[] {
  const words = (q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 5);
  return words.map((word) => ({
    OR: [
      { firstName: { contains: word, mode: 'insensitive' } },
      { lastName: { contains: word, mode: 'insensitive' } },
      { email: { contains: word, mode: 'insensitive' } },
      { sisId: { contains: word } },
    ],
  }));
}

export function peopleWhere(scope: AdminScope, f: PeopleFilters): Prisma.UserWhereInput {
  const and: Prisma.UserWhereInput[] = [scopedUserFilter(scope, f.includeArchived ?? false)];
  if (!f.includeArchived) and.push({ archivedAt: null });
  if (f.role) and.push({ roles: { has: f.role } });
  if (f.schoolId && scope.schoolIds && !scope.schoolIds.includes(f.schoolId)) and.push({ id: { in: [] } });
  if (f.schoolId) {
    and.push({
      schoolMemberships: {
        some: { schoolId: f.schoolId, ...(f.includeArchived ? {} : { archivedAt: null }) },
      },
    });
  }
  if (f.termId) {
    and.push({
      sectionMemberships: {
        some: { section: { termId: f.termId }, ...(f.includeArchived ? {} : { archivedAt: null }) },
      },
    });
  }
  and.push(...searchTerms(f.q));
  return { AND: and };
}

export async function searchPeople(prisma: PrismaClient, scope: AdminScope, f: PeopleFilters) {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const where = peopleWhere(scope, f);
  const after = decodeCursor(f.cursor, 3);
  const [rows, total] = await Promise.all([
    prisma.user.findMany({
      where: after
        ? { AND: [where, keysetAfter(['lastName', 'firstName'], after.slice(0, 2), after[2]!)] }
        : where,
      orderBy: [
        { lastName: { sort: 'asc', nulls: 'last' } },
        { firstName: { sort: 'asc', nulls: 'last' } },
        { id: 'asc' },
      ],
      take: limit + 1,
      include: {
        schoolMemberships: {
          where: { archivedAt: null },
          select: { school: { select: { id: true, name: true } } },
        },
      },
    }),
    f.countTotal === false ? Promise.resolve(0) : prisma.user.count({ where }),
  ]);
  const people = rows.slice(0, limit);
  const last = people[people.length - 1];
  return {
    people,
    total,
    next: rows.length > limit && last ? encodeCursor([last.lastName, last.firstName, last.id]) : null,
  };
}

export type PeoplePage = Awaited<ReturnType<typeof searchPeople>>;
