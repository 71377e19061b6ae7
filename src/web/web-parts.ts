// What a web server adds to the services of src/compose.ts: sign-in through Passport and the routers of the
// pages and the JSON API, for createApp (src/app.ts). Kept apart so that the command-line processes, which
// build the same services, do not load them.
import type express from 'express';
import type passport from 'passport';
import { configurePassport } from '../auth/passport';
import type { ServiceDeps, Services } from '../compose';
import { recordLogin, type Metrics } from '../metrics';
import { adminMatchingApiRouter } from './routes/admin-matching-api';
import { adminOverviewRouter } from './routes/admin-overview';
import { adminReviewsRouter } from './routes/admin-reviews';
import { adminRosterRouter } from './routes/admin-roster';
import { adminRosterApiRouter } from './routes/admin-roster-api';
import { adminSyncRouter } from './routes/admin-sync';
import { adminSyncApiRouter } from './routes/admin-sync-api';
import { groupsRouter } from './routes/groups';
import { meRouter } from './routes/me';
import { sectionNameApiRouter } from './routes/section-name-api';
import { authRouter } from './routes/sign-in';

export interface WebParts {
  configurePassport: (auth: passport.PassportStatic) => void;
  routes: (auth: passport.PassportStatic) => express.Router[];
  metrics: Metrics;
}

export function webParts(deps: Pick<ServiceDeps, 'config' | 'db' | 'logger'>, services: Services): WebParts {
  const { config, db, logger } = deps;
  const { clever, sync, metrics } = services;
  return {
    metrics,
    configurePassport: (auth) =>
      configurePassport(auth, {
        config,
        db,
        clever,
        logger,
        onLogin: (info) => recordLogin(metrics, info),
      }),
    routes: (auth) => [
      authRouter(config, auth),
      meRouter(db, { progressRateLimit: config.progressRateLimit }),
      adminSyncApiRouter({ sync }),
      adminOverviewRouter(db),
      adminMatchingApiRouter(db),
      sectionNameApiRouter(db),
      adminRosterRouter(db),
      adminRosterApiRouter(db),
      adminSyncRouter({ sync }),
      adminReviewsRouter(db),
      groupsRouter(db),
    ],
  };
}
