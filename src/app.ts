// createApp(deps): the Express app, with no side effects on import (no listen, no connect, no env reads).
import { fromRoot } from './paths';
import express from 'express';
import passport from 'passport';
import type { Config } from './config';
import type { Database } from './db/database';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { absoluteSessionTimeout } from './web/middleware/require-user';
import { errorHandler, notFoundHandler } from './web/middleware/error-handler';
import { requestContext } from './web/middleware/request-context';
import { csrfToken, requireCsrfToken, sameOriginOnly, securityHeaders } from './web/middleware/security';
import { healthRouter } from './web/routes/health';
import { homeRouter } from './web/routes/home';
import { countRequests, metricsRouter } from './web/routes/metrics-routes';
import { createSessionMiddleware } from './web/session';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Registers strategies and serializers on this app's Passport instance. */
  configurePassport?: (passport: passport.PassportStatic) => void;
  /** Routers mounted after the built-in ones (sign-in, API, admin pages), in order. */
  routes?: (passport: passport.PassportStatic) => express.Router[];
  /** Served on /metrics (see src/web/routes/metrics-routes.ts for who may read it) and fed by every request. */
  metrics?: Metrics;
}

export interface App {
  app: express.Express;
  close(): Promise<void>;
}

export function createApp(deps: AppDeps): App {
  const { config, db, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', parseTrustProxy(config.trustProxy));
  app.set('view engine', 'ejs');
  app.set('views', fromRoot('views'));

  app.use(requestContext(logger));
  if (!config.trustProxy) app.use(warnOfUntrustedProxy(logger));
  if (deps.metrics) app.use(countRequests(deps.metrics));
  app.use(securityHeaders());
  app.use('/static', express.static(fromRoot('public'), { maxAge: '1h', index: false }));
  app.use(healthRouter(db));
  if (deps.metrics) {
    app.use(metricsRouter(deps.metrics, { token: config.metricsToken, isProduction: config.isProduction }));
  }

  const sessions = createSessionMiddleware(config, db.pool);
  app.use(sessions.middleware);
  const auth = new passport.Passport();
  deps.configurePassport?.(auth as unknown as passport.PassportStatic);
  app.use(auth.initialize());
  app.use(auth.session());
  app.use(absoluteSessionTimeout(config.session.maxHours));

  app.use(express.urlencoded({ extended: false, limit: '100kb' }));
  app.use(express.json({ limit: '100kb' }));
  app.use(sameOriginOnly(config.baseUrl));
  app.use(requireCsrfToken(config.session.secret));
  app.use((req, res, next) => {
    res.locals.user = req.user ?? null;
    res.locals.csrfToken = csrfToken(req, config.session.secret);
    res.locals.appName = 'Clever Provisioner';
    next();
  });

  app.use(homeRouter(db));
  for (const router of deps.routes?.(auth as unknown as passport.PassportStatic) ?? []) app.use(router);
  app.use(notFoundHandler());
  app.use(errorHandler(logger));

  return {
    app,
    async close() {
      (sessions.store as unknown as { close?: () => void }).close?.();
    },
  };
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/**
 * Requests that carry forwarding headers while TRUST_PROXY is unset come through a proxy the app does not
 * trust: every client then has the proxy's address, so per-address sign-in limits count all of them as one
 * and HTTPS is not seen. Said once, at the first such request.
 */
function warnOfUntrustedProxy(logger: Logger): express.RequestHandler {
  let warned = false;
  return (req, _res, next) => {
    if (!warned && (req.headers['x-forwarded-for'] || req.headers.forwarded)) {
      warned = true;
      logger.warn(
        'Requests carry X-Forwarded-For/Forwarded but TRUST_PROXY is not set: every client appears to come from the proxy, so sign-in limits count them as one address. Set TRUST_PROXY (docs/configuration.md).',
      );
    }
    next();
  };
}
