// GET /metrics in Prometheus' text format. Not public: with METRICS_TOKEN set it needs
// `Authorization: Bearer <token>`; without it, only a connection from this machine that no proxy forwarded
// is answered — and, in production, nobody (a reverse proxy on the same host may not say it forwarded).
import crypto from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import type { Metrics } from '../../metrics';

export interface MetricsAccess {
  token: string | null;
  isProduction: boolean;
}

export function metricsRouter(metrics: Metrics, access: MetricsAccess): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const verdict = checkAccess(req, access);
    if (verdict !== 'ok') {
      if (verdict === 'unauthorized') res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      res
        .status(verdict === 'unauthorized' ? 401 : 403)
        .type('text/plain')
        .send(
          verdict === 'unauthorized'
            ? 'A bearer token (METRICS_TOKEN) is required.\n'
            : 'Metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere.\n',
        );
      return;
    }
    res.set('Cache-Control', 'no-store');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

/** Counts every response by method and status (http_requests_total). */
export function countRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'OTHER';
      metrics.httpRequests.inc({ method, status: String(res.statusCode) });
    });
    next();
  };
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

function checkAccess(req: Request, access: MetricsAccess): 'ok' | 'unauthorized' | 'forbidden' {
  if (access.token) {
    const given = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
    return isSameSecret(given, access.token) ? 'ok' : 'unauthorized';
  }
  if (access.isProduction) return 'forbidden';
  // The socket's peer, not req.ip: a trusted proxy's X-Forwarded-For must not make a request "local".
  const isLocal = LOOPBACK.has(req.socket.remoteAddress ?? '');
  const isForwarded = FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined);
  return isLocal && !isForwarded ? 'ok' : 'forbidden';
}

/** Constant-time comparison of two strings of any length. */
function isSameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => crypto.createHash('sha256').update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}
