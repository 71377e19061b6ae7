import express, { type NextFunction, type Request, type Response } from 'express';
import type { SandboxStore } from '../store/store';
import { DISTRICT_SCOPES } from '../store/store';
import { bearerToken, resolvePrincipal } from './principal';
import { SSO_SCOPES, type AppOptions } from './options';

// The OAuth host's machine side. NOTE: Basic auth only; form or JSON bodies only; codes single use;
// errors in OAuth style {error, error_description} (clever-api.md §2.4, §2.5).

function basicClient(req: Request): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export function oauthTokenRouter(store: SandboxStore, opts: AppOptions): express.Router {
  const router = express.Router();
  const requireClient = (req: Request, res: Response, next: NextFunction) => {
    const client = basicClient(req);
    store.recordRequest(req.path, client ? `basic:${client.id}` : undefined);
    res.setHeader('Cache-Control', 'no-store');
    if (client?.id === opts.clientId && client.secret === opts.clientSecret) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="Clever"');
    res.status(401).json({ error: 'invalid_client' });
  };
  const requireBodyType = (req: Request, res: Response, next: NextFunction) => {
    if (req.is(['application/x-www-form-urlencoded', 'application/json'])) return next();
    res.status(400).json({ error: 'invalid_request', error_description: 'invalid content-type' });
  };

  router.post(
    '/oauth/tokens',
    requireClient,
    requireBodyType,
    express.json({ limit: '16kb' }),
    express.urlencoded({ extended: false, limit: '16kb' }),
    (req: Request, res: Response) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
      if (field('grant_type') !== 'authorization_code') {
        return res.status(400).json({
          error: 'unsupported_grant_type',
          error_description: 'grant_type must be authorization_code',
        });
      }
      const code = field('code');
      if (!code) return res.status(400).json({ error: 'invalid_request', error_description: 'missing code' });
      const result = store.grants.redeemCode(code, opts.clientId, field('redirect_uri'));
      if (!result.ok) {
        const description =
          result.reason === 'redirect_uri_mismatch' ? 'redirect_uri does not match' : 'invalid code';
        return res.status(400).json({ error: 'invalid_grant', error_description: description });
      }
      opts.logger(`oauth: code exchanged for ${result.grant.userId}`);
      res.json({ access_token: result.grant.token, token_type: 'bearer' });
    },
  );

  router.get('/oauth/tokens', requireClient, (req: Request, res: Response) => {
    const ownerType = req.query.owner_type;
    if (ownerType !== 'district') {
      return res
        .status(400)
        .json({ error: 'invalid_request', error_description: 'owner_type must be district' });
    }
    const district = typeof req.query.district === 'string' ? req.query.district : undefined;
    const data = store.districtTokens().filter((t) => !district || t.owner.id === district);
    const search = new URL(req.originalUrl, 'http://sandbox').search;
    res.json({ data, links: [{ rel: 'self', uri: `/oauth/tokens${search}` }] });
  });

  router.get('/oauth/tokeninfo', (req: Request, res: Response) => {
    const token = bearerToken(req);
    store.recordRequest('/oauth/tokeninfo', token);
    const principal = resolvePrincipal(store, token);
    if (!principal) return res.status(401).json({ error: 'invalid_token' });
    res.json({
      client_id: opts.clientId,
      scopes: principal.kind === 'district' ? DISTRICT_SCOPES : SSO_SCOPES,
    });
  });

  // NOTE: OIDC-style user info at the API host root (clever-api.md §2.7).
  router.get('/userinfo', (req: Request, res: Response) => {
    const token = bearerToken(req);
    store.recordRequest('/userinfo', token);
    const principal = resolvePrincipal(store, token);
    if (!principal || principal.kind !== 'sso') return res.status(401).json({ error: 'invalid_token' });
    const user = store.getUser(principal.grant.userId);
    if (!user) return res.status(404).json({ message: 'Resource not found' });
    const [role] = Object.keys(user.roles);
    const r = user.roles;
    res.json({
      sub: user.id,
      user_id:
        r.student?.legacy_id ??
        r.teacher?.legacy_id ??
        r.staff?.legacy_id ??
        r.district_admin?.legacy_id ??
        user.id,
      multi_role_user_id: user.id,
      user_type: role === 'district_admin' ? 'district admin' : role,
      district_id: user.district,
      district: user.district,
      ...(user.email === undefined ? {} : { email: user.email }),
      email_verified: false,
      name: user.name,
      given_name: user.name.first,
      family_name: user.name.last,
      schools: [
        ...new Set([
          ...(r.student?.schools ?? []),
          ...(r.teacher?.schools ?? []),
          ...(r.staff?.schools ?? []),
        ]),
      ],
      authorized_by: 'district',
    });
  });

  // Body-parser failures (bad JSON) are the client's fault: OAuth-style 400, never a 500.
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    res.status(400).json({ error: 'invalid_request', error_description: 'malformed request body' });
  });
  return router;
}
