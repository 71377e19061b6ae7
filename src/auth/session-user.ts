// The signed-in user as the rest of the app sees it. The session holds only the user id; everything else is
// read from the database on each request, so a change of roles or an archive takes effect at once.
import type { PrismaClient } from '../generated/prisma/client';

export interface SessionUser {
  id: string;
  cleverId: string | null;
  districtId: string | null;
  roles: string[];
  firstName: string | null;
  lastName: string | null;
  displayName: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

export function displayName(u: {
  firstName: string | null;
  lastName: string | null;
  email?: string | null;
}): string {
  const name = [u.firstName, u.lastName].filter(Boolean).join(' ').trim();
  return name || u.email || 'Clever user';
}

/** null when the account no longer exists or was archived: its sessions stop working. */
export async function loadSessionUser(prisma: PrismaClient, id: string): Promise<SessionUser | null> {
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const user = await prisma.user.findUnique({ where: { id } });
  if (!user || user.archivedAt) return null;
  return {
    id: user.id,
    cleverId: user.cleverId,
    districtId: user.districtId,
    roles: user.roles,
    firstName: user.firstName,
    lastName: user.lastName,
    displayName: displayName(user),
  };
}
