// Sign-in and sign-out. Clever's portal and Instant Login links arrive without `state`: their code is never
// exchanged (it could be an attacker's); the flow restarts with a fresh state, which Clever's live session
// completes at once (clever-api.md §2.9; security-checklist.md §0 item 2).
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type passport from 'passport';
import { z } from 'zod';
import { cleverRefused } from '../../auth/login-errors';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { sessionCookieName } from '../session';

const single = z.string().max(2048).optional();
const callbackQuery = z.object({
  code: single,
  state: single,
  error: single,
  error_description: single,
  scope: single,
});
const startQuery = z.object({
  district_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});

/** How long a browser may take at Clever (picker, password, MFA) before its sign-in must start again. */
const PRE_SIGNIN_SESSION_MS = 10 * 60_000;

export function authRouter(config: Config, auth: passport.PassportStatic): Router {
  const router = Router();
  // Anti-automation on the pre-authentication routes. A school's whole building reaches us from one NAT
  // address at 8:00, so the overall cap per address is generous (SIGNIN_RATE_LIMIT requests a minute, a
  // sign-in being two or three of them), and abuse is caught by what it leaves behind: refused callbacks (a
  // forged or replayed state, Clever errors). After SIGNIN_FAILURE_LIMIT of those in 10 minutes, sign-ins from
  // that address pause until the window ends. Counted per instance (docs/configuration.md).
  const overall = rateLimit({
    windowMs: 60_000,
    limit: config.signinRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: tooMany,
  });
  const failures = rateLimit({
    windowMs: 10 * 60_000,
    limit: config.signinFailureLimit,
    standardHeaders: false,
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (req, res) => req.path !== '/auth/clever/callback' || res.statusCode < 400,
    handler: tooMany,
  });
  router.get('/auth/clever', overall, failures, (req, res, next) => {
    const query = startQuery.safeParse(req.query);
    if (!query.success)
      return next(new AppError('bad_request', 'The district id in this link is not valid.'));
    // A session that only holds the OAuth state lives minutes, not the idle limit (a flood of starts must
    // not leave rows for hours). Signing in regenerates the session with the normal lifetime.
    if (!req.user) req.session.cookie.maxAge = PRE_SIGNIN_SESSION_MS;
    auth.authenticate('clever', { district_id: query.data.district_id } as passport.AuthenticateOptions)(
      req,
      res,
      next,
    );
  });

  router.get('/auth/clever/callback', overall, failures, (req, res, next) => {
    const parsed = callbackQuery.safeParse(req.query);
    // Repeated parameters (?code=a&code=b) arrive as arrays: refuse them without calling Clever.
    if (!parsed.success) return next(new AppError('bad_request', 'This sign-in link is not valid.'));
    const query = parsed.data;
    if (query.error) return next(cleverRefused(query.error));
    if (!query.code) return res.redirect(303, '/');
    if (!query.state) {
      // A Clever portal or Instant Login launch: start a login of our own, with state.
      return res.redirect(302, '/auth/clever');
    }
    completeLogin(auth, req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      req.session.destroy(() => {
        res.clearCookie(sessionCookieName(config), {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: config.session.secureCookies,
        });
        if (req.is('application/json') || !req.accepts('html')) return res.status(204).end();
        res.redirect(303, '/');
      });
    });
  });
  return router;
}

function completeLogin(auth: passport.PassportStatic, req: Request, res: Response, next: NextFunction): void {
  const handler = auth.authenticate('clever', (err: unknown, user: Express.User | false) => {
    if (err instanceof AppError && err.code === 'sign_in_expired') {
      // A reused or expired code (a refresh, a double click): never an error page, start cleanly instead.
      return res.redirect(303, req.user ? '/' : '/auth/clever');
    }
    if (err) return next(err);
    if (!user) {
      // The state was not issued to this browser, or was used already (a refreshed callback page).
      if (req.user) return res.redirect(303, '/');
      return next(
        new AppError(
          'invalid_state',
          'This sign-in could not be verified. Please start again from the Log in with Clever button.',
        ),
      );
    }
    // passport regenerates the session id here: a new login replaces any earlier session on this device.
    req.logIn(user, (loginErr) => {
      if (loginErr) return next(loginErr);
      req.session.authAt = Date.now();
      // Saved before the redirect goes out: express-session would send the headers first and save after, and
      // the browser's next request (on another instance, or another pool connection) could find the session
      // without its sign-in time, which ends it at once.
      req.session.save((saveErr) => {
        if (saveErr) return next(saveErr);
        res.redirect(303, '/');
      });
    });
  }) as RequestHandler;
  handler(req, res, next);
}

function tooMany(_req: Request, _res: Response, next: NextFunction): void {
  next(
    new AppError(
      'rate_limited',
      'Too many sign-in attempts from this device. Please wait a minute and try again.',
    ),
  );
}
