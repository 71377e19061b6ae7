// Security headers, same-origin checks for state-changing requests, and CSRF tokens for HTML forms.
import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { AppError } from '../../errors';

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        // The sign-in page redirects to Clever's authorize endpoint: a plain link, not a form.
        'form-action': ["'self'"],
      },
    },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/** Pages that show student data must never be cached by a browser or proxy. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses state-changing requests that do not come from the app's own origin (Origin header equal to
 * BASE_URL's origin, or Sec-Fetch-Site: same-origin). See docs/api.md.
 */
export function sameOriginOnly(baseUrl: string): RequestHandler {
  const origin = new URL(baseUrl).origin;
  return (req, _res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    const requestOrigin = req.get('origin');
    if (site === 'same-origin' || (requestOrigin && requestOrigin === origin)) return next();
    if (!requestOrigin && !site && req.get('referer')?.startsWith(`${origin}/`)) return next();
    next(new AppError('forbidden', 'This request must come from the app itself.'));
  };
}

/** A CSRF token bound to the session id: it changes at every login and logout, and needs no storage. */
export function csrfToken(req: Request, secret: string): string {
  return crypto
    .createHmac('sha256', secret)
    .update(`csrf:${req.sessionID ?? ''}`)
    .digest('base64url');
}

/**
 * Every unsafe request to an HTML route must carry the session's CSRF token — in the form's `_csrf` field or an
 * `X-CSRF-Token` header — whatever its body type: a `text/plain` or multipart post (which no body parser here
 * reads) has no token and is refused. JSON API routes (`/api/…`) are guarded by the same-origin check and their
 * JSON bodies instead (docs/operations.md). Signing out is exempt: it only ends the requester's own session and
 * must work from any page, even one whose token went stale.
 */
export function requireCsrfToken(secret: string): RequestHandler {
  return (req, _res, next) => {
    if (!UNSAFE.has(req.method) || req.path.startsWith('/api/') || req.path === '/logout') return next();
    const fromBody = req.is('application/x-www-form-urlencoded') ? req.body?._csrf : undefined;
    const sent = typeof fromBody === 'string' ? fromBody : (req.get('x-csrf-token') ?? '');
    next(
      tokensMatch(sent, csrfToken(req, secret))
        ? undefined
        : new AppError('forbidden', 'The form expired. Go back, reload the page and try again.'),
    );
  };
}

/** Constant-time comparison that never throws: tokens of another length (or of multi-byte characters) fail. */
function tokensMatch(sent: string, expected: string): boolean {
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
