// The top of the roster page: the district, its schools with section and student counts, the terms to filter
// by, and how many people of each kind are active. A fixed number of grouped queries, whatever the size.
import type { PrismaClient } from '../generated/prisma/client';
import { notFound } from '../errors';
import { scopedSchoolFilter, scopedSectionFilter, type AdminScope } from '../access/admin-scope';
import { countPeople } from './people-counts';

export async function getRosterSummary(prisma: PrismaClient, scope: AdminScope) {
  const district = await prisma.district.findUnique({ where: { id: scope.districtId } });
  if (!district) throw notFound('District');
  const schoolWhere = { districtId: scope.districtId, ...scopedSchoolFilter(scope) };
  const [schools, terms, sectionCounts, studentCounts, archivedSections, people] = await Promise.all([
    prisma.school.findMany({ where: schoolWhere, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    prisma.term.findMany({
      where: {
        districtId: scope.districtId,
        ...(scope.schoolIds ? { sections: { some: { schoolId: { in: scope.schoolIds } } } } : {}),
      },
      orderBy: [{ startDate: 'desc' }, { name: 'asc' }],
    }),
    prisma.section.groupBy({
      by: ['schoolId'],
      where: { ...scopedSectionFilter(scope), archivedAt: null },
      _count: { _all: true },
    }),
    prisma.schoolMembership.groupBy({
      by: ['schoolId'],
      where: {
        archivedAt: null,
        school: schoolWhere,
        user: { archivedAt: null, roles: { has: 'student' } },
      },
      _count: { _all: true },
    }),
    prisma.section.count({ where: { ...scopedSectionFilter(scope), archivedAt: { not: null } } }),
    countPeople(prisma, scope),
  ]);
  const sectionsBySchool = new Map(sectionCounts.map((c) => [c.schoolId, c._count._all]));
  const studentsBySchool = new Map(studentCounts.map((c) => [c.schoolId, c._count._all]));
  return {
    district,
    schools: schools.map((s) => ({
      ...s,
      sectionCount: sectionsBySchool.get(s.id) ?? 0,
      studentCount: studentsBySchool.get(s.id) ?? 0,
    })),
    terms,
    counts: {
      ...people,
      sections: [...sectionsBySchool.values()].reduce((a, b) => a + b, 0),
      archivedSections,
    },
  };
}

export type RosterSummary = Awaited<ReturnType<typeof getRosterSummary>>;
