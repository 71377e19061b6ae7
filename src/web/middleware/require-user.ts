// Deny by default: pages and API routes state who may use them.
import type { RequestHandler } from 'express';
import { AppError, roleForbidden } from '../../errors';

export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.originalUrl.startsWith('/api/') || !req.accepts('html')) {
    return next(new AppError('unauthenticated', 'Sign in with Clever first.'));
  }
  res.redirect(303, '/');
};

const ROLE_PLURALS: Record<string, string> = {
  student: 'students',
  teacher: 'teachers',
  staff: 'school staff',
  district_admin: 'district admins',
  contact: 'contacts',
};

export function requireRole(...roles: string[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new AppError('unauthenticated', 'Sign in with Clever first.'));
    if (req.user.roles.some((r) => roles.includes(r))) return next();
    next(roleForbidden(req.user, roles.map((r) => ROLE_PLURALS[r] ?? r).join(' and ')));
  };
}

/**
 * Ends a session older than the absolute limit, however active it was (express-session has no such limit).
 * A signed-in session without a sign-in time cannot prove its age: it ends too (fail closed).
 */
export function absoluteSessionTimeout(maxHours: number): RequestHandler {
  return (req, _res, next) => {
    const authAt = req.session?.authAt;
    if (!req.user || (authAt && Date.now() - authAt <= maxHours * 3_600_000)) return next();
    req.logout(() => next(new AppError('unauthenticated', 'Your session has ended. Please log in again.')));
  };
}
