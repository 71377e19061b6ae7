import express, { type NextFunction, type Request, type Response } from 'express';
import type { SsoGrant } from '../store/grants';
import type { SandboxStore } from '../store/store';
import type { ApiVersion } from '../store/store-types';
import { registerDataRoutes } from './data-routes';
import { registerEventRoutes } from './events-routes';
import { applyFault } from './apply-fault';
import { cannotGet } from './html';
import type { RateLimiter } from './rate-limit';

export type Principal =
  | { kind: 'district'; district: string; token: string }
  | { kind: 'sso'; district: string; grant: SsoGrant; token: string };

export function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function pathnameOf(req: Request): string {
  return new URL(req.originalUrl, 'http://sandbox').pathname;
}

export function sendCannotGet(req: Request, res: Response): void {
  res
    .status(404)
    .type('html')
    .send(cannotGet(req.method, pathnameOf(req)));
}

export function resolvePrincipal(store: SandboxStore, token: string | undefined): Principal | undefined {
  if (!token) return undefined;
  const district = store.districtForToken(token);
  if (district) return { kind: 'district', district, token };
  const grant = store.grants.lookupToken(token);
  return grant ? { kind: 'sso', district: grant.districtId, grant, token } : undefined;
}

/**
 * NOTE: an SSO ("il…") token reads only /me, its own /users/{id} and its /districts/{id}; anything
 * else answers Express's HTML 404, as Clever does for a wrong token type (clever-api.md §2.8, §6).
 */
function ssoMayRead(path: string, grant: SsoGrant): boolean {
  const p = path.replace(/\/+$/, '').toLowerCase();
  return p === '/me' || p === `/users/${grant.userId}` || p === `/districts/${grant.districtId}`;
}

/** One Data API version (`/v3.0` or `/v3.1`): stats, rate limit, auth, scopes, faults, routes. */
export function dataApiRouter(
  store: SandboxStore,
  version: ApiVersion,
  limiter: RateLimiter,
): express.Router {
  const router = express.Router({ caseSensitive: false });
  router.use((req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    store.recordRequest(pathnameOf(req), token);
    res.setHeader('Cache-Control', 'no-store');
    if (!limiter.take(token ?? '', res)) {
      res.status(429).end();
      return;
    }
    const principal = resolvePrincipal(store, token);
    if (!principal) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({ message: token ? 'invalid bearer token' : 'missing bearer token' });
      return;
    }
    if (principal.kind === 'sso' && !ssoMayRead(req.path, principal.grant)) {
      sendCannotGet(req, res);
      return;
    }
    res.locals.principal = principal;
    const fault = store.faults.match(req.path);
    if (fault && applyFault(fault, req, res, store.now())) return;
    next();
  });
  registerDataRoutes(router, store, version);
  registerEventRoutes(router, store, version);
  router.use((req: Request, res: Response) => sendCannotGet(req, res));
  return router;
}
