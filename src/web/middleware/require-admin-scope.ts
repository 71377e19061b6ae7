// Deny by default for the admin pages: signed-out visitors are sent to sign in, and only district admins
// (their district) and staff (their schools) get a scope. The scope is derived from the account on every
// request, so a demotion takes effect at once.
import type { RequestHandler } from 'express';
import type { Database } from '../../db/database';
import { AppError, roleForbidden } from '../../errors';
import { getAdminScope, type AdminScope } from '../../access/admin-scope';

declare module 'express-serve-static-core' {
  interface Request {
    adminScope?: AdminScope;
  }
}

export function requireAdminScope(
  db: Database,
  options: { districtAdminOnly?: boolean } = {},
): RequestHandler {
  return async (req, _res, next) => {
    if (!req.user) return next(new AppError('unauthenticated', 'Sign in with Clever first.'));
    const scope = await getAdminScope(db.prisma, req.user);
    if (!scope || (options.districtAdminOnly && !scope.isDistrictAdmin)) {
      const pageIsFor = options.districtAdminOnly ? 'district admins' : 'district admins and school staff';
      const isSchoolless = !scope && req.user.roles.includes('staff') && !options.districtAdminOnly;
      const why = isSchoolless ? 'Clever lists you as staff of no active school yet.' : undefined;
      return next(roleForbidden(req.user, pageIsFor, why));
    }
    req.adminScope = scope;
    next();
  };
}

/** The scope set by requireAdminScope (a route without it is a programming error, never an open door). */
export function scopeOf(req: { adminScope?: AdminScope }): AdminScope {
  if (!req.adminScope) throw new AppError('forbidden', 'You do not have access to this page.');
  return req.adminScope;
}
