import { z } from 'zod';
import { CleverBadResponseError, CleverNotFoundError } from './clever-errors';
import { CleverHttp, type CleverHttpOptions } from './http';
import { resolveLink } from './pagination';
import { optionalString, optionalStringList, toIssues } from './schema-helpers';
import { CleverLinkSchema, isPlainObject } from './clever-types';

export interface CleverOAuthClientOptions extends CleverHttpOptions {
  clientId: string;
  clientSecret: string;
  /** A shared transport; when given, its `oauthUrl` and retry settings are used. */
  http?: CleverHttp;
}

export interface CleverTokenExchange {
  accessToken: string;
  /** Only for apps with OIDC enabled (clever-api.md §2.4). */
  idToken: string | null;
  tokenType: string | null;
}

export interface DistrictToken {
  districtId: string;
  accessToken: string;
  scopes: string[];
  created: string | null;
}

const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  id_token: optionalString,
  token_type: optionalString,
});

const TokenListSchema = z.looseObject({
  data: z.array(z.unknown()),
  links: z.array(CleverLinkSchema).nullish(),
});

const TokenEntrySchema = z.looseObject({
  access_token: z.string().min(1),
  owner: z.looseObject({ type: z.string(), id: z.string().min(1) }),
  scopes: optionalStringList,
  created: optionalString,
});

/** Calls on Clever's OAuth host with the app's client credentials (HTTP Basic). */
export class CleverOAuthClient {
  readonly http: CleverHttp;
  private readonly basic: { username: string; password: string };

  constructor(options: CleverOAuthClientOptions) {
    this.http = options.http ?? new CleverHttp(options);
    this.basic = { username: options.clientId, password: options.clientSecret };
  }

  /**
   * Trades an authorization code for an SSO access token.
   * NOTE: codes are single-use and live one minute; a retry after a lost answer can only meet invalid_grant,
   * so this POST is never retried (clever-api.md §2.4, security-checklist.md §1.4). Reuse -> OAuthError
   * with code `invalid_grant`.
   */
  async exchangeCode(code: string, redirectUri: string): Promise<CleverTokenExchange> {
    const response = await this.http.request({
      method: 'POST',
      host: 'oauth',
      path: '/oauth/tokens',
      auth: { basic: this.basic },
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
      retry: false,
      secrets: [code],
    });
    const parsed = TokenResponseSchema.safeParse(response.body);
    if (!parsed.success) {
      throw new CleverBadResponseError('Clever token response has no access_token', {
        code: 'bad_token_response',
        path: response.path,
        issues: toIssues(parsed.error),
      });
    }
    return {
      accessToken: parsed.data.access_token,
      idToken: parsed.data.id_token ?? null,
      tokenType: parsed.data.token_type ?? null,
    };
  }

  /**
   * One district-app token per connected district.
   * NOTE: `owner_type=district` is the only supported value; look tokens up at sync time rather than storing
   * them, the active token is always returned even after a rotation (clever-api.md §2.5).
   */
  async districtTokens(): Promise<DistrictToken[]> {
    return this.listTokens({ owner_type: 'district' });
  }

  /** The district's active token; CleverNotFoundError (`district_token_not_found`) if it is not connected. */
  async districtToken(districtId: string): Promise<DistrictToken> {
    const tokens = await this.listTokens({ owner_type: 'district', district: districtId });
    // Filtered again here: a server that ignored `district` must not hand us another district's token.
    const token = tokens.find((candidate) => candidate.districtId === districtId);
    if (!token) {
      throw new CleverNotFoundError('No Clever token for this district: the app is not connected to it', {
        code: 'district_token_not_found',
        path: '/oauth/tokens',
      });
    }
    return token;
  }

  private async listTokens(query: Record<string, string>): Promise<DistrictToken[]> {
    const tokens: DistrictToken[] = [];
    const seen = new Set<string>();
    let next: { path: string; query?: Record<string, string> } | undefined = { path: '/oauth/tokens', query };
    while (next) {
      const response = await this.http.request({ host: 'oauth', ...next, auth: { basic: this.basic } });
      if (seen.has(response.path)) {
        throw new CleverBadResponseError('Clever token list loops', {
          code: 'pagination_loop',
          path: response.path,
        });
      }
      seen.add(response.path);
      const page = TokenListSchema.safeParse(response.body);
      if (!page.success) {
        throw new CleverBadResponseError('Clever token list is not a list envelope', {
          code: 'bad_envelope',
          path: response.path,
          issues: toIssues(page.error),
        });
      }
      for (const raw of page.data.data) {
        const token = toDistrictToken(raw);
        if (token) tokens.push(token);
      }
      const nextUri = page.data.links?.find((link) => link.rel === 'next')?.uri;
      next = nextUri ? { path: resolveLink(nextUri, this.http, 'oauth', response.path) } : undefined;
    }
    return tokens;
  }
}

function toDistrictToken(raw: unknown): DistrictToken | null {
  // Entries are usually bare token objects; tolerate the Data API's `{data: {...}}` wrapping as well.
  const candidate =
    isPlainObject(raw) && isPlainObject(raw.data) && !('access_token' in raw) ? raw.data : raw;
  const parsed = TokenEntrySchema.safeParse(candidate);
  if (!parsed.success || parsed.data.owner.type !== 'district') return null;
  return {
    districtId: parsed.data.owner.id,
    accessToken: parsed.data.access_token,
    scopes: parsed.data.scopes ?? [],
    created: parsed.data.created ?? null,
  };
}
