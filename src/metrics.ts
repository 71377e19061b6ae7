// Prometheus metrics (prom-client), one registry per process (app instance or worker). Names follow
// Prometheus conventions. Counters count what this process did; gauges sampled from the database (queue
// depth) show the same value on every process — aggregate them with max(), not sum().
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CleverRequestInfo } from './clever/clever-clients';

export interface Metrics {
  registry: Registry;
  signIns: Counter<'outcome'>;
  provisioningSeconds: Histogram<'outcome'>;
  syncRuns: Counter<'kind' | 'status'>;
  syncRecords: Counter<'source' | 'type' | 'change'>;
  cleverRequests: Counter<'endpoint' | 'status'>;
  cleverRateLimited: Counter<string>;
  queueDepth: Gauge<'queue' | 'state'>;
  httpRequests: Counter<'method' | 'status'>;
}

export interface QueueDepthSample {
  queue: string;
  state: string;
  count: number;
}

export interface MetricsOptions {
  defaultMetrics?: boolean;
  /** Read at scrape time (jobs waiting, retrying and running per queue). */
  sampleQueueDepth?: () => Promise<QueueDepthSample[]>;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
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
      labelNames: ['source', 'type', 'change'],
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
      help: 'Jobs in the queue by state (created, retry, active), read from the database at scrape time',
      labelNames: ['queue', 'state'],
      registers: r,
      async collect() {
        if (!options.sampleQueueDepth) return;
        const samples = await options.sampleQueueDepth().catch(() => null);
        if (!samples) return; // the database did not answer: keep the last values rather than fail the scrape
        this.reset();
        for (const s of samples) this.set({ queue: s.queue, state: s.state }, s.count);
      },
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

/** CleverHttp's `onRequest` hook: every attempt by endpoint and status; 429s on their own. */
export function recordCleverRequest(metrics: Metrics, info: CleverRequestInfo): void {
  const status = info.status === 0 ? (info.error ?? 'network_error') : String(info.status);
  metrics.cleverRequests.inc({ endpoint: endpointLabel(info.path), status });
  if (info.status === 429) metrics.cleverRateLimited.inc();
}

const CHANGES = ['created', 'updated', 'archived', 'restored'] as const;

/** Adds a run's or a login's per-type counts (`{ user: { created: 3, ... } }`) to sync_records_total. */
export function recordChanges(
  metrics: Metrics,
  source: 'sync' | 'events' | 'login' | 'admin',
  counts: Record<string, Partial<Record<(typeof CHANGES)[number], number>>>,
): void {
  for (const [type, byChange] of Object.entries(counts)) {
    if (type === 'total') continue;
    for (const change of CHANGES) {
      const n = byChange[change] ?? 0;
      if (n > 0) metrics.syncRecords.inc({ source, type, change }, n);
    }
  }
}

const LOGIN_TYPES: Record<string, string> = {
  schools: 'school',
  terms: 'term',
  courses: 'course',
  sections: 'section',
  users: 'user',
  memberships: 'membership',
};

/** The sign-in hook (src/auth/passport.ts `onLogin`): outcome, provisioning time, records it changed. */
export function recordLogin(
  metrics: Metrics,
  info: { durationMs: number; outcome: string; counts?: Record<string, Record<string, number>> },
): void {
  metrics.signIns.inc({ outcome: info.outcome });
  metrics.provisioningSeconds.observe({ outcome: info.outcome }, info.durationMs / 1000);
  if (!info.counts) return;
  const byType: Record<string, Record<string, number>> = {};
  for (const [key, counts] of Object.entries(info.counts)) byType[LOGIN_TYPES[key] ?? key] = counts;
  recordChanges(metrics, 'login', byType);
}

/** The sync hook (SyncContext.onRunFinished): one run by kind and status, and what it changed. */
export function recordRun(
  metrics: Metrics,
  run: { kind: string; status: string; counts: Record<string, Record<string, number>> },
): void {
  metrics.syncRuns.inc({ kind: run.kind, status: run.status });
  // A dry run's counts say what a sync would do: nothing changed.
  if (run.status === 'dry_run') return;
  recordChanges(
    metrics,
    run.status === 'approved' ? 'admin' : run.kind === 'events' ? 'events' : 'sync',
    run.counts,
  );
}
