// Runs the whole app as in production — real HTTP on loopback, the built-in Clever sandbox, a real database
// (PGlite, or PostgreSQL with TEST_DATABASE_URL) — so a login test reads like what a person does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { buildServices, type ServiceDeps, type Services } from '../../src/compose';
import { webParts } from '../../src/web/web-parts';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/sandbox-api';
import { createTestDatabase, type TestDatabase } from './db';

export interface TestApp {
  url: string;
  config: Config;
  db: TestDatabase;
  sandbox: RunningSandbox;
  services: Services;
  /** Every log line the app wrote (tests scan them for secrets and student data). */
  logs: string[];
  /** A browser-like client: keeps cookies, sends the app's Origin on state-changing requests. */
  agent(): supertest.Agent;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  sandbox?: Omit<SandboxOptions, 'port' | 'host' | 'redirectUris'>;
  db?: TestDatabase;
  /** Overrides of the Clever transport's test settings (retries, delays, sleep, onRequest). */
  cleverHttp?: ServiceDeps['cleverHttp'];
  /** The app's host name in its URL (default 127.0.0.1; 'localhost' makes the sandbox another site). */
  hostname?: string;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://${options.hostname ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  const sandbox = await startSandbox({
    ...options.sandbox,
    port: 0,
    host: '127.0.0.1',
    redirectUris: [`${url}/auth/clever/callback`],
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    BASE_URL: url,
    LOG_LEVEL: 'info',
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    CLEVER_CLIENT_ID: 'sandbox-client',
    CLEVER_CLIENT_SECRET: 'sandbox-secret',
    CLEVER_OAUTH_URL: sandbox.url,
    CLEVER_API_URL: sandbox.url,
    RUN_WORKERS: 'false',
    SIGNIN_RATE_LIMIT: '100000',
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger(
    config.logLevel,
    new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }),
  );
  const db = options.db ?? (await createTestDatabase());
  const services = await buildServices({
    config,
    db,
    logger,
    cleverHttp: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50, ...options.cleverHttp },
  });
  const app = createApp({ config, db, logger, ...webParts({ config, db, logger }, services) });
  server.on('request', app.app);

  return {
    url,
    config,
    db,
    sandbox,
    services,
    logs,
    agent() {
      const agent = supertest.agent(url);
      agent.set('Origin', url);
      return agent;
    },
    async close() {
      // Every step runs even if an earlier one fails (a test may have broken the database on purpose).
      const steps: Array<() => Promise<unknown>> = [
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
        () => app.close(),
        () => services.close(),
        () => sandbox.close(),
        ...(options.db ? [] : [() => db.close()]),
      ];
      const failures = [];
      for (const step of steps) {
        try {
          await step();
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length) throw failures[0];
    },
  };
}

/**
 * Signs `agent` in as a sandbox user through the whole OAuth flow: the app's /auth/clever, the sandbox's
 * authorize step (`user=` picks the person), and the app's callback. Returns the callback's response.
 *
 *   const agent = app.agent();
 *   await signInAs(app, agent, PERSONAS.teacher);
 *   const me = await agent.get('/api/me');
 */
export async function signInAs(
  app: TestApp,
  agent: supertest.Agent,
  cleverUserId: string,
): Promise<supertest.Response> {
  const start = await agent.get('/auth/clever');
  if (start.status !== 302) throw new Error(`/auth/clever answered ${start.status}`);
  const authorize = new URL(start.headers.location);
  authorize.searchParams.set('user', cleverUserId);
  const clever = await fetch(authorize, { redirect: 'manual' });
  const back = clever.headers.get('location');
  if (!back) throw new Error(`the sandbox did not redirect back (${clever.status})`);
  const callback = new URL(back);
  return agent.get(`${callback.pathname}${callback.search}`);
}
