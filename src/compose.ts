// Builds the app's services from config and database: the Clever clients, sign-in, and the routers.
// Shared by the server and the tests, so tests run the same wiring as production.
import type express from 'express';
import type passport from 'passport';
import { configurePassport } from './auth/passport';
import { createCleverClients, type CleverClients, type CleverHttpOptions } from './clever';
import type { Config } from './config';
import type { Database } from './db/database';
import type { Logger } from './logger';
import { authRouter } from './web/routes/auth';
import { meRouter } from './web/routes/me';

export interface ServiceDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Test seams for the Clever transport (e.g. a short timeout, an onRequest counter). */
  cleverHttp?: Omit<CleverHttpOptions, 'apiUrl' | 'oauthUrl' | 'version'>;
}

export interface Services {
  clever: CleverClients;
  web: {
    configurePassport: (auth: passport.PassportStatic) => void;
    routes: (auth: passport.PassportStatic) => express.Router[];
  };
  afterListen?: () => Promise<void>;
  close(): Promise<void>;
}

export async function buildServices(deps: ServiceDeps): Promise<Services> {
  const { config, db, logger } = deps;
  const clever = createCleverClients({
    apiUrl: config.clever.apiUrl,
    oauthUrl: config.clever.oauthUrl,
    version: config.clever.apiVersion,
    clientId: config.clever.clientId,
    clientSecret: config.clever.clientSecret,
    http: { timeoutMs: config.clever.timeoutMs, ...deps.cleverHttp },
  });
  return {
    clever,
    web: {
      configurePassport: (auth) => configurePassport(auth, { config, db, clever, logger }),
      routes: (auth) => [authRouter(config, auth), meRouter(db)],
    },
    async close() {},
  };
}
