// Wires the Clever strategy into Passport: the verify step provisions the account from Clever (every login),
// and the session stores the user id only.
import type passport from 'passport';
import type { CleverClients } from '../clever/clever-clients';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { provisionLogin } from '../login/provision-login';
import { CleverStrategy } from './clever-strategy';
import type { CleverProfile } from './profile';
import { loadSessionUser } from './session-user';

export interface AuthDeps {
  config: Config;
  db: Database;
  clever: CleverClients;
  logger: Logger;
  /** Observes each provisioning, failed ones included (metrics). Must not throw. */
  onLogin?: (info: {
    durationMs: number;
    outcome: string;
    counts?: Record<string, Record<string, number>>;
  }) => void;
}

export function configurePassport(auth: passport.PassportStatic, deps: AuthDeps): void {
  const strategy = new CleverStrategy(
    {
      clientID: deps.config.clever.clientId,
      clientSecret: deps.config.clever.clientSecret,
      callbackURL: deps.config.clever.redirectUri,
      oauthUrl: deps.config.clever.oauthUrl,
      oauth: deps.clever.oauth,
      http: deps.clever.http,
    },
    // passport-oauth2 does not catch a rejected promise here: always finish with done().
    (req, _accessToken, _refreshToken, _params, profile, done) => {
      const { id, districtId } = profile as unknown as CleverProfile;
      if (!districtId) {
        done(new AppError('login_failed', 'This Clever account is not linked to a school district.'));
        return;
      }
      const started = Date.now();
      provisionLogin(
        {
          db: deps.db,
          clever: deps.clever,
          logger: req.log ?? deps.logger,
          matchStudentsBySisId: deps.config.clever.matchStudentsBySisId,
        },
        { cleverUserId: id, districtId },
      ).then(
        (result) => {
          deps.onLogin?.({
            durationMs: Date.now() - started,
            outcome: result.isStale ? 'stale' : result.outcome,
            counts: result.counts,
          });
          req.log?.info(
            { userId: result.userId, outcome: result.outcome, matchedBy: result.matchedBy },
            'signed in with Clever',
          );
          done(null, { id: result.userId } as Express.User);
        },
        (err: unknown) => {
          // A closed set of outcomes: an AppError's code (not_shared, clever_unavailable, ...) or "error".
          const outcome = err instanceof AppError ? err.code : 'error';
          deps.onLogin?.({ durationMs: Date.now() - started, outcome });
          done(err);
        },
      );
    },
  );
  auth.use('clever', strategy);
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
  auth.deserializeUser((id: string, done) => {
    loadSessionUser(deps.db.prisma, id).then((user) => done(null, user ?? false), done);
  });
}
