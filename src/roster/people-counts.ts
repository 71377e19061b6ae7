// How many active students, teachers, staff and district admins (and archived people) a scope holds: one
// pass over the district's users instead of one count per role.
import type { PrismaClient } from '../generated/prisma/client';
import type { AdminScope } from '../access/admin-scope';

export interface PeopleCounts {
  student: number;
  teacher: number;
  staff: number;
  district_admin: number;
  archived: number;
}

export async function countPeople(prisma: PrismaClient, scope: AdminScope): Promise<PeopleCounts> {
  const schoolIds = scope.schoolIds;
  const [row] = await prisma.$queryRaw<PeopleCounts[]>`
    SELECT count(*) FILTER (WHERE u."archivedAt" IS NULL AND 'student'::"Role" = ANY(u.roles))::int AS student,
           count(*) FILTER (WHERE u."archivedAt" IS NULL AND 'teacher'::"Role" = ANY(u.roles))::int AS teacher,
           count(*) FILTER (WHERE u."archivedAt" IS NULL AND 'staff'::"Role" = ANY(u.roles))::int AS staff,
           count(*) FILTER (WHERE u."archivedAt" IS NULL AND 'district_admin'::"Role" = ANY(u.roles))::int AS district_admin,
           count(*) FILTER (WHERE u."archivedAt" IS NOT NULL)::int AS archived
      FROM "User" u
     WHERE u."districtId" = ${scope.districtId}::uuid
       AND (${schoolIds}::uuid[] IS NULL OR EXISTS (
             SELECT 1 FROM "SchoolMembership" m
              WHERE m."userId" = u.id AND m."schoolId" = ANY(${schoolIds}::uuid[])
                AND (m."archivedAt" IS NULL OR u."archivedAt" IS NOT NULL)))`;
  return row ?? { student: 0, teacher: 0, staff: 0, district_admin: 0, archived: 0 };
}
