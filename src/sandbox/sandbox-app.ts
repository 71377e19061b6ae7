import express from 'express';
import { controlRouter } from './http/control';
import { dataApiRouter } from './http/principal';
import { sendCannotGet } from './http/principal';
import { oauthBrowserRouter } from './http/oauth-routes';
import { oauthTokenRouter } from './http/oauth-tokens';
import { DEFAULT_APP_OPTIONS, type AppOptions } from './http/options';
import { RateLimiter } from './http/rate-limit';
import type { SandboxStore } from './store/store';

/**
 * The sandbox's single HTTP app: Clever's OAuth host (/oauth/*), its Data API (/v3.0, /v3.1) and the
 * control API (/__sandbox). No side effects on import; no cookies are ever set, because the app on
 * another port of the same host shares the browser's cookie jar (interface.md, Sandbox).
 */
export function createSandboxApp(store: SandboxStore, options: Partial<AppOptions> = {}): express.Express {
  const opts: AppOptions = { ...DEFAULT_APP_OPTIONS, ...options };
  if (opts.redirectUris.length === 0) throw new Error('redirectUris needs at least one URI');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const limiter = new RateLimiter(opts.rateLimitPerMinute, store.now);
  app.use(oauthBrowserRouter(store, opts));
  app.use(oauthTokenRouter(store, opts));
  app.use('/v3.0', dataApiRouter(store, 'v3.0', limiter));
  app.use('/v3.1', dataApiRouter(store, 'v3.1', limiter));
  app.use('/__sandbox', controlRouter(store, opts));
  app.get('/', (_req, res) => res.redirect(302, '/__sandbox'));
  app.use((req, res) => sendCannotGet(req, res));
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    opts.logger(`sandbox error: ${err instanceof Error ? err.message : String(err)}`);
    if (res.headersSent) return next(err);
    res.status(500).json({ message: 'Internal Error' });
  });
  return app;
}
