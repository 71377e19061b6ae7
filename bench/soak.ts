// `npm run soak [-- --seconds N] [-- --db pglite|postgres]`: a bounded load on loopback — sign-ins through the
// sandbox's whole OAuth flow, roster reads (/api/me; /api/admin/roster as a district admin) and a full sync
// running again and again through the job queue (startSync) — reporting errors (must be 0), latency
// percentiles and memory (RSS, heap) at the start and the end. Writes docs/soak.json and docs/soak.md.
// Not part of `npm test`. PostgreSQL: DATABASE_URL=postgresql://... npm run soak -- --db postgres
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import prettier from 'prettier';
import { createApp } from '../src/app';
import { buildServices } from '../src/compose';
import { webParts } from '../src/web/web-parts';
import { loadConfig } from '../src/config';
import { startWorkers } from '../src/jobs/workers';
import { createLogger } from '../src/logger';
import { fromRoot } from '../src/paths';
import { PERSONAS, startSandbox } from '../src/sandbox/sandbox-api';
import { getRun, startSync } from '../src/sync/sync-api';
import { freshDatabase, machine, percentile, round, type Backend } from './harness';

const VIRTUAL_USERS = 8;
const SIGN_IN_AS = [
  PERSONAS.student,
  PERSONAS.teacher,
  PERSONAS.studentTwoSchools,
  PERSONAS.coTeacher,
  PERSONAS.studentNonAscii,
  PERSONAS.staff,
  PERSONAS.multiRoleTeacherStaffAdmin,
  PERSONAS.studentNoSections,
];

type Kind = 'sign_in' | 'me' | 'admin_roster' | 'sync';

interface Memory {
  rssMb: number;
  heapUsedMb: number;
  /** Memory outside the JS heap held by JS objects: buffers, and PGlite's WebAssembly memory. */
  externalMb?: number;
}

interface SoakResult {
  backend: Backend;
  seconds: number;
  machine: string;
  date: string;
  virtualUsers: number;
  requests: Record<Kind, number>;
  errors: number;
  errorSamples: string[];
  appErrorLogLines: number;
  latencyMs: Record<Exclude<Kind, 'sync'>, { p50: number; p95: number; p99: number }>;
  syncRunMs: { p50: number; max: number };
  memory: { start: Memory; end: Memory; growth: Memory & { rssPercent: number } };
  /** RSS and heap every 10 s of the load (no forced GC): flat or still climbing? */
  timeline: Array<Memory & { second: number }>;
  /** pg_database_size before and after the load: the embedded database lives in this process's memory. */
  databaseMb: { start: number; end: number };
  sessionRows: number;
}

function args(): { seconds: number; backend: Backend } {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seconds = Number(value('--seconds') ?? 60);
  const backend = (value('--db') ?? 'pglite') as Backend;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds must be a positive number');
  if (backend !== 'pglite' && backend !== 'postgres') throw new Error('--db must be pglite or postgres');
  if (backend === 'postgres' && !process.env.DATABASE_URL)
    throw new Error('--db postgres needs DATABASE_URL');
  return { seconds, backend };
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function memory(): Memory {
  gc();
  gc();
  const m = process.memoryUsage();
  return {
    rssMb: round(m.rss / 2 ** 20, 1),
    heapUsedMb: round(m.heapUsed / 2 ** 20, 1),
    externalMb: round(m.external / 2 ** 20, 1),
  };
}

/** A browser of one: its own cookie, manual redirects. */
class Client {
  private cookie = '';
  constructor(private readonly base: string) {}

  async get(path: string): Promise<Response> {
    const res = await fetch(new URL(path, this.base), {
      redirect: 'manual',
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return res;
  }

  async signIn(cleverUserId: string): Promise<void> {
    const start = await this.get('/auth/clever');
    await start.arrayBuffer();
    if (start.status !== 302) throw new Error(`/auth/clever answered ${start.status}`);
    const authorize = new URL(start.headers.get('location')!);
    authorize.searchParams.set('user', cleverUserId);
    const clever = await fetch(authorize, { redirect: 'manual' });
    await clever.arrayBuffer();
    const back = new URL(clever.headers.get('location') ?? 'about:blank');
    const done = await this.get(`${back.pathname}${back.search}`);
    await done.arrayBuffer();
    if (done.status !== 303) throw new Error(`the callback answered ${done.status}`);
  }

  async json(path: string): Promise<unknown> {
    const res = await this.get(path);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    return res.json();
  }
}

async function soak(seconds: number, backend: Backend): Promise<SoakResult> {
  const db = await freshDatabase(backend);
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The sandbox's per-token limit (1200/min, as Clever's) would throttle a load test of the app itself.
  const sandbox = await startSandbox({
    port: 0,
    host: '127.0.0.1',
    redirectUris: [`${url}/auth/clever/callback`],
    rateLimitPerMinute: 1_000_000,
  });
  const config = loadConfig({
    NODE_ENV: 'production',
    // The soak serves plain http on loopback.
    ALLOW_HTTP_BASE_URL: 'true',
    BASE_URL: url,
    LOG_LEVEL: 'warn',
    SESSION_SECRET: 'soak-session-secret-that-is-long-enough-0123456789',
    CLEVER_CLIENT_ID: 'sandbox-client',
    CLEVER_CLIENT_SECRET: 'sandbox-secret',
    CLEVER_OAUTH_URL: sandbox.url,
    CLEVER_API_URL: sandbox.url,
    RUN_WORKERS: 'false',
    // The soak measures the app under load, not the per-address sign-in limiter (tested in test/security).
    SIGNIN_RATE_LIMIT: '1000000',
    SYNC_PAGE_SIZE: '50',
  });
  let appErrorLogLines = 0;
  const logger = createLogger(
    config.logLevel,
    new Writable({
      write(chunk, _enc, cb) {
        if (/"level":(50|60)/.test(String(chunk))) {
          appErrorLogLines++;
          process.stderr.write(chunk); // what went wrong, next to the counts
        }
        cb();
      },
    }),
  );
  const services = await buildServices({ config, db, logger });
  const app = createApp({ config, db, logger, ...webParts({ config, db, logger }, services) });
  server.on('request', app.app);
  await startWorkers(services);

  const latencies: Record<Kind, number[]> = { sign_in: [], me: [], admin_roster: [], sync: [] };
  const errorSamples: string[] = [];
  let errors = 0;
  const timed = async (kind: Kind, fn: () => Promise<unknown>) => {
    const started = performance.now();
    try {
      await fn();
      latencies[kind].push(performance.now() - started);
    } catch (err) {
      errors++;
      if (errorSamples.length < 10) errorSamples.push(`${kind}: ${(err as Error).message}`);
    }
  };

  // Warm-up: the admin signs in, the district exists and is synced once.
  const admin = new Client(url);
  await admin.signIn(PERSONAS.districtAdmin);
  const districtId = ((await admin.json('/api/me')) as { district: { cleverId: string } }).district.cleverId;
  const local = await db.prisma.district.findUniqueOrThrow({ where: { cleverId: districtId } });
  await db.prisma.district.update({ where: { id: local.id }, data: { connection: 'connected' } });
  const runOnce = async () => {
    const runId = await startSync(services, { districtId: local.id, trigger: 'admin' });
    for (;;) {
      const run = await getRun(services, { runId });
      if (!['queued', 'running'].includes(run.status)) {
        if (run.status !== 'succeeded') throw new Error(`sync ${run.status}: ${run.error ?? ''}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await runOnce();
  const deadline = Date.now() + seconds * 1000;
  // The start sample is taken once the load has warmed up (caches, JIT, pools): after 20% of the run, ≤ 10 s.
  let start: Memory = memory();
  const warmup = setTimeout(() => (start = memory()), Math.min(10_000, seconds * 200));
  const databaseStart = await databaseMb(db.pool);
  const began = Date.now();
  const timeline: SoakResult['timeline'] = [];
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    timeline.push({
      second: Math.round((Date.now() - began) / 1000),
      rssMb: round(m.rss / 2 ** 20, 1),
      heapUsedMb: round(m.heapUsed / 2 ** 20, 1),
      externalMb: round(m.external / 2 ** 20, 1),
    });
  }, 10_000);

  const syncLoop = (async () => {
    while (Date.now() < deadline) await timed('sync', runOnce);
  })();
  const userLoops = Array.from({ length: VIRTUAL_USERS }, async (_, n) => {
    let i = n;
    while (Date.now() < deadline) {
      const client = new Client(url);
      await timed('sign_in', () => client.signIn(SIGN_IN_AS[i++ % SIGN_IN_AS.length]!));
      for (let r = 0; r < 5 && Date.now() < deadline; r++) {
        await timed('me', () => client.json('/api/me'));
        await timed('admin_roster', () => admin.json('/api/admin/roster?limit=200'));
      }
    }
  });
  await Promise.all([syncLoop, ...userLoops]);
  clearTimeout(warmup);
  clearInterval(sampler);
  const end = memory();
  const databaseEnd = await databaseMb(db.pool);
  const sessionRows = Number((await db.pool.query(`SELECT count(*)::int AS n FROM "session"`)).rows[0].n);

  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await app.close();
  await services.close();
  await sandbox.close();
  await db.close();

  const pct = (values: number[]) => ({
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
  });
  return {
    backend,
    seconds,
    machine: machine(),
    date: new Date().toISOString(),
    virtualUsers: VIRTUAL_USERS,
    requests: {
      sign_in: latencies.sign_in.length,
      me: latencies.me.length,
      admin_roster: latencies.admin_roster.length,
      sync: latencies.sync.length,
    },
    errors: errors + appErrorLogLines,
    errorSamples,
    appErrorLogLines,
    latencyMs: {
      sign_in: pct(latencies.sign_in),
      me: pct(latencies.me),
      admin_roster: pct(latencies.admin_roster),
    },
    syncRunMs: {
      p50: round(percentile(latencies.sync, 50), 0),
      max: round(Math.max(...latencies.sync), 0),
    },
    memory: {
      start,
      end,
      growth: {
        rssMb: round(end.rssMb - start.rssMb, 1),
        heapUsedMb: round(end.heapUsedMb - start.heapUsedMb, 1),
        rssPercent: round(((end.rssMb - start.rssMb) / start.rssMb) * 100, 1),
      },
    },
    timeline,
    databaseMb: { start: databaseStart, end: databaseEnd },
    sessionRows,
  };
}

async function databaseMb(pool: { query(sql: string): Promise<{ rows: Array<{ bytes: string }> }> }) {
  const { rows } = await pool.query(`SELECT pg_database_size(current_database())::text AS bytes`);
  return round(Number(rows[0]!.bytes) / 2 ** 20, 1);
}

async function writeReport(result: SoakResult): Promise<void> {
  const jsonPath = fromRoot('docs/soak.json');
  const all: Record<string, SoakResult> = fs.existsSync(jsonPath)
    ? (JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as Record<string, SoakResult>)
    : {};
  all[result.backend] = result;
  fs.writeFileSync(jsonPath, await formatted(jsonPath, JSON.stringify(all, null, 2)));
  const rows = Object.values(all);
  const line = (label: string, f: (r: SoakResult) => string | number) =>
    `| ${label} | ${rows.map(f).join(' | ')} |`;
  const md = [
    '# Soak',
    '',
    'Generated by `npm run soak` (`bench/soak.ts`): a bounded load on loopback against the app, the Clever',
    `sandbox and the database — ${VIRTUAL_USERS} virtual users each signing in through the whole OAuth flow, then`,
    'reading `/api/me` and (as the district admin) `/api/admin/roster` five times, while a full sync of Sandbox',
    'ISD runs again and again through the job queue (`startSync`). Memory is measured after a forced GC, once the',
    'load has warmed up (20% into the run, at most 10 s) and again when the load stops. Errors count failed requests, failed syncs and error',
    'log lines of the app; they must be 0. The sign-in rate limiter and the sandbox per-token limit are lifted.',
    '',
    `| | ${rows.map((r) => r.backend).join(' | ')} |`,
    `|---|${rows.map(() => '---').join('|')}|`,
    line('duration (s)', (r) => r.seconds),
    line('sign-ins', (r) => r.requests.sign_in),
    line('`/api/me` reads', (r) => r.requests.me),
    line('`/api/admin/roster` reads', (r) => r.requests.admin_roster),
    line('full syncs', (r) => r.requests.sync),
    line('**errors**', (r) => `**${r.errors}**`),
    line('sign-in p50 / p95 / p99 (ms)', (r) => fmt(r.latencyMs.sign_in)),
    line('`/api/me` p50 / p95 / p99 (ms)', (r) => fmt(r.latencyMs.me)),
    line('`/api/admin/roster` p50 / p95 / p99 (ms)', (r) => fmt(r.latencyMs.admin_roster)),
    line('full sync p50 / max (ms)', (r) => `${r.syncRunMs.p50} / ${r.syncRunMs.max}`),
    line('RSS start → end (MB)', (r) => `${r.memory.start.rssMb} → ${r.memory.end.rssMb}`),
    line('heap used start → end (MB)', (r) => `${r.memory.start.heapUsedMb} → ${r.memory.end.heapUsedMb}`),
    line(
      'external (incl. WebAssembly) start → end (MB)',
      (r) => `${r.memory.start.externalMb ?? '–'} → ${r.memory.end.externalMb ?? '–'}`,
    ),
    line(
      'growth RSS / heap (MB)',
      (r) => `${r.memory.growth.rssMb} (${r.memory.growth.rssPercent}%) / ${r.memory.growth.heapUsedMb}`,
    ),
    line('RSS every 10 s (MB)', (r) => (r.timeline ?? []).map((t) => t.rssMb).join(', ')),
    line('database size start → end (MB)', (r) => `${r.databaseMb?.start} → ${r.databaseMb?.end}`),
    line('session rows at the end', (r) => r.sessionRows),
    line('machine', (r) => r.machine),
    line('date', (r) => r.date.slice(0, 10)),
    '',
    'Reading the memory figures: the JS heap (objects the app keeps) is the leak detector and must stay flat.',
    'On the embedded database (PGlite) PostgreSQL itself runs inside this process as WebAssembly: its memory',
    '(buffers, catalog caches, the in-memory data) counts in this RSS, and WebAssembly memory grows but never',
    'shrinks. On PostgreSQL the database lives in the server and the RSS of the app alone is shown.',
    '',
  ].join('\n');
  const mdPath = fromRoot('docs/soak.md');
  fs.writeFileSync(mdPath, await formatted(mdPath, md));
}

/** Generated files pass `npm run lint` (prettier --check) like written ones. */
async function formatted(file: string, text: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

const fmt = (p: { p50: number; p95: number; p99: number }) => `${p.p50} / ${p.p95} / ${p.p99}`;

async function main(): Promise<void> {
  const { seconds, backend } = args();
  console.log(`soak: ${seconds} s on ${backend} …`);
  const result = await soak(seconds, backend);
  await writeReport(result);
  console.log(JSON.stringify(result, null, 2));
  if (result.errors > 0) {
    console.error(`soak: ${result.errors} errors`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
