import express, { type Request, type Response } from 'express';
import type { SandboxStore } from '../store/store';
import { query } from './html';
import { confirmPage, districtPickerPage, errorPage, userPickerPage } from './oauth-pages';
import { SSO_SCOPES, type AppOptions } from './options';

// The OAuth host's browser side: /oauth/authorize (Log in with Clever) and /oauth/instant-login
// (Instant Login links and portal launches: primary redirect URI, never a state).
// NOTE: parameters and redirects per clever-api.md §2.1–2.3.

interface Flow {
  redirectUri: string;
  state?: string;
  districtId?: string;
  returnUnshared: boolean;
  confirmed: boolean;
  /** Query to rebuild links on the picker (everything but user and q). */
  carry: Record<string, string>;
  path: '/oauth/authorize' | '/oauth/instant-login';
}

function str(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
}

export function oauthBrowserRouter(store: SandboxStore, opts: AppOptions): express.Router {
  const router = express.Router();
  const fail = (res: Response, status: number, title: string, message: string) =>
    res.status(status).type('html').send(errorPage(title, message));
  const redirectWith = (res: Response, uri: string, params: Record<string, string | undefined>) => {
    const url = new URL(uri);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
    res.redirect(302, url.toString());
  };

  function signIn(req: Request, res: Response, flow: Flow, userId: string) {
    const user = store.peek('user', userId);
    if (!user || (flow.districtId && user.district !== flow.districtId)) {
      return fail(res, 404, 'Unknown user', `No Clever user ${userId} in this district.`);
    }
    if (!store.isShared(userId)) {
      // NOTE: return_unshared=true lets the app chain client ids (clever-api.md §2.2).
      if (flow.returnUnshared)
        return redirectWith(res, flow.redirectUri, { error: 'unauthorized-user', state: flow.state });
      return fail(
        res,
        403,
        'Not authorized',
        'This account has not been shared with the application by the district.',
      );
    }
    if (!flow.confirmed && user.roles.student) {
      const url = `${flow.path}?${query({ ...flow.carry, user: userId, confirmed: 'true' })}`;
      return res.type('html').send(confirmPage(user, url));
    }
    const code = store.grants.issueCode(opts.clientId, flow.redirectUri, user.id, user.district);
    opts.logger(`oauth: code issued for ${user.id} → ${flow.redirectUri}`);
    redirectWith(res, flow.redirectUri, { code, scope: SSO_SCOPES.join(' '), state: flow.state });
  }

  function picker(req: Request, res: Response, flow: Flow) {
    if (!flow.districtId) {
      return res
        .type('html')
        .send(districtPickerPage(store, (id) => `${flow.path}?${query({ ...flow.carry, district_id: id })}`));
    }
    if (!store.getDistrict(flow.districtId)) return fail(res, 404, 'Unknown district', 'No such district.');
    const portal = (user: string) =>
      `/oauth/instant-login?${query({ client_id: opts.clientId, district_id: flow.districtId, user })}`;
    res.type('html').send(
      userPickerPage(store, flow.districtId, str(req, 'q') ?? '', {
        signIn: (user) => `${flow.path}?${query({ ...flow.carry, user })}`,
        portal,
        searchAction: flow.path,
        hidden: flow.carry,
      }),
    );
  }

  function checkClient(req: Request, res: Response): boolean {
    if (str(req, 'client_id') === opts.clientId) return true;
    fail(res, 400, 'Unknown application', 'client_id is missing or does not match a registered application.');
    return false;
  }

  router.get('/oauth/authorize', (req, res) => {
    store.recordRequest('/oauth/authorize', undefined);
    if (!checkClient(req, res)) return;
    const requested = str(req, 'redirect_uri');
    // NOTE: exact match against the allow-list, trailing slash included; omitted → the primary URI.
    if (requested !== undefined && !opts.redirectUris.includes(requested)) {
      return fail(
        res,
        400,
        'Invalid redirect URI',
        `redirect_uri ${requested} is not registered for this application.`,
      );
    }
    const redirectUri = requested ?? opts.redirectUris[0];
    const state = str(req, 'state');
    if (str(req, 'response_type') !== 'code') {
      return redirectWith(res, redirectUri, { error: 'unsupported_response_type', state });
    }
    const carry: Record<string, string> = {};
    for (const key of [
      'response_type',
      'client_id',
      'redirect_uri',
      'state',
      'district_id',
      'return_unshared',
      'nonce',
      'confirmed',
    ]) {
      const v = str(req, key);
      if (v !== undefined) carry[key] = v;
    }
    const flow: Flow = {
      redirectUri,
      state,
      districtId: str(req, 'district_id'),
      returnUnshared: str(req, 'return_unshared') === 'true',
      confirmed: str(req, 'confirmed') !== 'false',
      carry,
      path: '/oauth/authorize',
    };
    const user = str(req, 'user');
    if (user) signIn(req, res, flow, user);
    else picker(req, res, flow);
  });

  router.get('/oauth/instant-login', (req, res) => {
    store.recordRequest('/oauth/instant-login', undefined);
    if (!checkClient(req, res)) return;
    const districtId = str(req, 'district_id');
    const flow: Flow = {
      redirectUri: opts.redirectUris[0],
      districtId,
      returnUnshared: false,
      confirmed: true,
      carry: { client_id: opts.clientId, ...(districtId ? { district_id: districtId } : {}) },
      path: '/oauth/instant-login',
    };
    const user = str(req, 'user');
    if (user) signIn(req, res, flow, user);
    else picker(req, res, flow);
  });

  return router;
}
