// Prometheus metrics (prom-client), one registry per app instance. Names follow Prometheus conventions.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  signIns: Counter<'outcome'>;
  provisioningSeconds: Histogram<'outcome'>;
  syncRuns: Counter<'kind' | 'status'>;
  syncRecords: Counter<'type' | 'change'>;
  cleverRequests: Counter<'endpoint' | 'status'>;
  cleverRateLimited: Counter<string>;
  queueDepth: Gauge<'queue' | 'state'>;
  httpRequests: Counter<'method' | 'status'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    signIns: new Counter({
      name: 'clever_sign_ins_total',
      help: 'Sign-ins with Clever by outcome',
      labelNames: ['outcome'],
      registers: r,
    }),
    provisioningSeconds: new Histogram({
      name: 'clever_login_provisioning_seconds',
      help: 'Time to provision a user from Clever at sign-in',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: r,
    }),
    syncRuns: new Counter({
      name: 'sync_runs_total',
      help: 'District sync runs by kind and final status',
      labelNames: ['kind', 'status'],
      registers: r,
    }),
    syncRecords: new Counter({
      name: 'sync_records_total',
      help: 'Records changed by syncs and logins (created, updated, archived, restored) by record type',
      labelNames: ['type', 'change'],
      registers: r,
    }),
    cleverRequests: new Counter({
      name: 'clever_api_requests_total',
      help: 'Requests to Clever by endpoint and HTTP status',
      labelNames: ['endpoint', 'status'],
      registers: r,
    }),
    cleverRateLimited: new Counter({
      name: 'clever_api_rate_limited_total',
      help: 'Clever answers with HTTP 429',
      registers: r,
    }),
    queueDepth: new Gauge({
      name: 'job_queue_depth',
      help: 'Jobs in the queue by state',
      labelNames: ['queue', 'state'],
      registers: r,
    }),
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served by method and status',
      labelNames: ['method', 'status'],
      registers: r,
    }),
  };
}

/** `/v3.0/users/58da…/sections` → `/users/{id}/sections`: bounded label values. */
export function endpointLabel(path: string): string {
  return (
    path
      .split('?')[0]
      .replace(/^\/v3\.[01]/, '')
      .replace(/\/[0-9a-f]{24}(?=\/|$)/g, '/{id}')
      .replace(/\/[^/]{25,}(?=\/|$)/g, '/{id}') || '/'
  );
}
