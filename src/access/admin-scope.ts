// Who may see which part of a district's roster. The tenant comes from the signed-in account (loaded from the
// database on every request), never from the URL: a district admin sees their district, staff (school admins)
// only the schools they are active members of. Anyone else gets no scope at all.
import type { PrismaClient } from '../generated/prisma/client';

export interface AdminScope {
  districtId: string;
  /** null: the whole district (district admin); otherwise the only schools this person may see. */
  schoolIds: string[] | null;
  isDistrictAdmin: boolean;
}

export async function getAdminScope(
  prisma: PrismaClient,
  user: { id: string; districtId: string | null; roles: string[] },
): Promise<AdminScope | null> {
  if (!user.districtId) return null;
  if (user.roles.includes('district_admin')) {
    return { districtId: user.districtId, schoolIds: null, isDistrictAdmin: true };
  }
  if (!user.roles.includes('staff')) return null;
  const memberships = await prisma.schoolMembership.findMany({
    where: {
      userId: user.id,
      archivedAt: null,
      school: { districtId: user.districtId, archivedAt: null },
    },
    select: { schoolId: true },
  });
  if (memberships.length === 0) return null;
  return {
    districtId: user.districtId,
    schoolIds: memberships.map((m) => m.schoolId),
    isDistrictAdmin: false,
  };
}

/** Prisma filters that keep every roster query inside the scope (the district id is always defined). */
export function scopedSchoolFilter(scope: AdminScope) {
  return scope.schoolIds ? { id: { in: scope.schoolIds } } : {};
}

/** Users visible in the scope: the district's, and for staff only members of their schools. */
export function scopedUserFilter(scope: AdminScope, includeArchivedMemberships = false) {
  if (!scope.schoolIds) return { districtId: scope.districtId };
  return {
    districtId: scope.districtId,
    schoolMemberships: {
      some: {
        schoolId: { in: scope.schoolIds },
        ...(includeArchivedMemberships ? {} : { archivedAt: null }),
      },
    },
  };
}

/** Sections visible in the scope. */
export function scopedSectionFilter(scope: AdminScope) {
  return scope.schoolIds
    ? { districtId: scope.districtId, schoolId: { in: scope.schoolIds } }
    : { districtId: scope.districtId };
}
