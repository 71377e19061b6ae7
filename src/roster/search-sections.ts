// The sections list of the roster page: a school's (or the district's) sections with term, course, teachers
// and student counts; search by name or sis_id; keyset pages ordered by name.
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { scopedSectionFilter, type AdminScope } from '../access/admin-scope';
import { decodeCursor, encodeCursor, keysetAfter } from './cursor';

export interface SectionFilters {
  q?: string;
  schoolId?: string;
  termId?: string;
  includeArchived?: boolean;
  cursor?: string;
  limit?: number;
  /** false: skip counting every match (the CSV export reads all pages and needs no total). */
  countTotal?: boolean;
}

function sectionsWhere(scope: AdminScope, f: SectionFilters): Prisma.SectionWhereInput {
  const and: Prisma.SectionWhereInput[] = [scopedSectionFilter(scope)];
  if (!f.includeArchived) and.push({ archivedAt: null });
  if (f.schoolId) and.push({ schoolId: f.schoolId });
  if (f.termId) and.push({ termId: f.termId });
  for (const word of (f.q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 5)) {
    and.push({
      OR: [
        { name: { contains: word, mode: 'insensitive' } },
        { localName: { contains: word, mode: 'insensitive' } },
        { sisId: { contains: word } },
      ],
    });
  }
  return { AND: and };
}

export async function searchSections(prisma: PrismaClient, scope: AdminScope, f: SectionFilters) {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const where = sectionsWhere(scope, f);
  const after = decodeCursor(f.cursor, 2);
  const [rows, total] = await Promise.all([
    prisma.section.findMany({
      where: after ? { AND: [where, keysetAfter(['name'], after.slice(0, 1), after[1]!)] } : where,
      orderBy: [{ name: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      take: limit + 1,
      include: {
        school: { select: { name: true } },
        term: { select: { name: true } },
        course: { select: { name: true } },
        memberships: {
          where: { archivedAt: null, role: { in: ['teacher', 'co_teacher'] }, user: { archivedAt: null } },
          select: { role: true, user: { select: { id: true, firstName: true, lastName: true } } },
        },
        _count: {
          select: {
            memberships: { where: { archivedAt: null, role: 'student', user: { archivedAt: null } } },
          },
        },
      },
    }),
    f.countTotal === false ? Promise.resolve(0) : prisma.section.count({ where }),
  ]);
  const sections = rows.slice(0, limit);
  const last = sections[sections.length - 1];
  return {
    sections,
    total,
    next: rows.length > limit && last ? encodeCursor([last.name, last.id]) : null,
  };
}

export type SectionsPage = Awaited<ReturnType<typeof searchSections>>;
