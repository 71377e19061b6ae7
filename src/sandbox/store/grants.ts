import { randomToken } from './ids';

// NOTE: codes are valid 60 s and single use; SSO tokens ("il…") live 24 h
// (https://dev.clever.com/docs/oauth-implementation).
const CODE_TTL_MS = 60_000;
const SSO_TOKEN_TTL_MS = 24 * 3600_000;

interface AuthCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  districtId: string;
  issuedAt: number;
}

export interface SsoGrant {
  token: string;
  userId: string;
  districtId: string;
  clientId: string;
  expiresAt: number;
}

/** Whom a bearer token speaks for: a district-app token, or a user's SSO token with its grant. */
export type Principal =
  | { kind: 'district'; district: string; token: string }
  | { kind: 'sso'; district: string; grant: SsoGrant; token: string };

export type Redemption =
  | { ok: true; grant: SsoGrant }
  | { ok: false; reason: 'invalid_code' | 'redirect_uri_mismatch' | 'client_mismatch' };

/** Authorization codes and SSO tokens issued by the sandbox's OAuth host. */
export class GrantStore {
  private readonly codes = new Map<string, AuthCode>();
  private readonly tokens = new Map<string, SsoGrant>();

  constructor(private readonly now: () => number) {}

  issueCode(clientId: string, redirectUri: string, userId: string, districtId: string): string {
    const code = randomToken('', 10);
    this.codes.set(code, { clientId, redirectUri, userId, districtId, issuedAt: this.now() });
    return code;
  }

  redeemCode(code: string, clientId: string, redirectUri: string | undefined): Redemption {
    const entry = this.codes.get(code);
    if (!entry || this.now() - entry.issuedAt > CODE_TTL_MS) {
      this.codes.delete(code);
      return { ok: false, reason: 'invalid_code' };
    }
    if (entry.clientId !== clientId) return { ok: false, reason: 'client_mismatch' };
    if (redirectUri !== entry.redirectUri) return { ok: false, reason: 'redirect_uri_mismatch' };
    this.codes.delete(code); // single use
    return { ok: true, grant: this.issueToken(entry.userId, entry.districtId, clientId) };
  }

  issueToken(userId: string, districtId: string, clientId: string): SsoGrant {
    const grant = {
      token: randomToken('il', 19),
      userId,
      districtId,
      clientId,
      expiresAt: this.now() + SSO_TOKEN_TTL_MS,
    };
    this.tokens.set(grant.token, grant);
    return grant;
  }

  lookupToken(token: string): SsoGrant | undefined {
    const grant = this.tokens.get(token);
    if (grant && grant.expiresAt <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return grant;
  }

  clear(): void {
    this.codes.clear();
    this.tokens.clear();
  }
}
