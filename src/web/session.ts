// Sessions live in PostgreSQL (connect-pg-simple on the app's one pool) and hold only the user id and the
// time of login. Cookies: HttpOnly, SameSite=Lax (Strict would drop the cookie on the redirect back from
// Clever), Secure with a __Host- name behind HTTPS.
import connectPgSimple from 'connect-pg-simple';
import type { RequestHandler } from 'express';
import session from 'express-session';
import type pg from 'pg';
import type { Config } from '../config';

declare module 'express-session' {
  interface SessionData {
    authAt?: number;
    returnTo?: string;
  }
}

export function sessionCookieName(config: Config): string {
  return config.session.secureCookies ? '__Host-sid' : 'sid';
}

export function createSessionMiddleware(
  config: Config,
  pool: pg.Pool,
): { middleware: RequestHandler; store: session.Store } {
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    errorLog: () => undefined,
  });
  const middleware = session({
    name: sessionCookieName(config),
    secret: config.session.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.session.secureCookies,
      path: '/',
      maxAge: config.session.idleMinutes * 60 * 1000,
    },
  });
  return { middleware, store };
}
