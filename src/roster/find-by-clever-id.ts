// "Why is this student not in my app?": a Clever id answers for anyone in the admin's scope, archived or not.
// Someone outside the scope (another district, or a school staff cannot see) is not found, exactly like an id
// nobody has.
import type { PrismaClient } from '../generated/prisma/client';
import { scopedUserFilter, type AdminScope } from '../access/admin-scope';

/** One word that could be a Clever id (Clever's are 24 hex digits; the sandbox's may differ). */
export const CLEVER_ID = /^[\w-]{6,64}$/;

export async function findPersonByCleverId(prisma: PrismaClient, scope: AdminScope, cleverId: string) {
  if (!CLEVER_ID.test(cleverId)) return null;
  return prisma.user.findFirst({
    where: { AND: [{ cleverId }, scopedUserFilter(scope, true)] },
    select: { id: true, firstName: true, lastName: true, archivedAt: true, archiveReason: true },
  });
}
