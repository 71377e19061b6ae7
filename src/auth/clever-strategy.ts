// "Log in with Clever" as a Passport strategy on passport-oauth2. It overrides only what Clever needs:
// the token exchange (HTTP Basic, a timeout, never retried: a code is single-use), the profile (/me), and
// the optional `district_id` that skips Clever's school picker.
import OAuth2Strategy, {
  type StrategyOptionsWithRequest,
  type VerifyFunctionWithRequest,
} from 'passport-oauth2';
import type { CleverHttp } from '../clever/http';
import type { CleverOAuthClient } from '../clever/oauth';
import { AppError } from '../errors';
import { toLoginError } from './login-errors';
import { parseCleverProfile, type CleverProfile } from './profile';

export interface CleverStrategyOptions {
  clientID: string;
  clientSecret: string;
  callbackURL: string;
  /** Host of /oauth/authorize and /oauth/tokens (https://clever.com, or the sandbox). */
  oauthUrl: string;
  oauth: CleverOAuthClient;
  http: CleverHttp;
}

export type CleverVerify = VerifyFunctionWithRequest<Express.User, Record<string, unknown>>;

export class CleverStrategy extends OAuth2Strategy {
  private readonly http: CleverHttp;

  constructor(options: CleverStrategyOptions, verify: CleverVerify) {
    const base: StrategyOptionsWithRequest = {
      authorizationURL: `${options.oauthUrl}/oauth/authorize`,
      tokenURL: `${options.oauthUrl}/oauth/tokens`,
      clientID: options.clientID,
      clientSecret: options.clientSecret,
      callbackURL: options.callbackURL,
      state: true,
      passReqToCallback: true,
    };
    super(base, verify);
    this.name = 'clever';
    this.http = options.http;
    const oauth = options.oauth;
    // passport-oauth2's own exchange has no timeout and puts the secret in the body; Clever wants HTTP Basic.
    const oauth2 = this._oauth2 as unknown as {
      getOAuthAccessToken(
        code: string,
        params: Record<string, string>,
        cb: (...args: unknown[]) => void,
      ): void;
    };
    oauth2.getOAuthAccessToken = (code, params, callback) => {
      oauth.exchangeCode(code, params.redirect_uri).then(
        (token) => callback(null, token.accessToken, undefined, { token_type: token.tokenType }),
        (err) => callback(toLoginError(err)),
      );
    };
  }

  /** passport-oauth2 wraps a failed code exchange in its own error; ours is already the app's. */
  _createOAuthError(message: string, err: unknown): unknown {
    if (err instanceof AppError) return err;
    return (
      OAuth2Strategy.prototype as unknown as { _createOAuthError(m: string, e: unknown): unknown }
    )._createOAuthError.call(this, message, err);
  }

  override userProfile(accessToken: string, done: (err?: unknown, profile?: CleverProfile) => void): void {
    this.http
      .request({ path: this.http.apiPath('/me'), auth: { bearer: accessToken } })
      .then((response) => parseCleverProfile(response.body))
      .then(
        (profile) => done(null, profile),
        (err) => done(toLoginError(err)),
      );
  }

  override authorizationParams(options: { district_id?: string }): object {
    return options.district_id ? { district_id: options.district_id } : {};
  }
}
