// One full sync of one district in a process of its own (forked by bench/sync.ts), so that its peak RSS is
// the sync's alone — not the harness's, not the sandbox's. With PGlite the database lives in this process
// (the embedded design), so its memory counts too. Runs the real code path: buildServices → onboardDistricts
// → createRun → executeRun. Reports timings, RSS, Clever requests and rows written over IPC.
import fs from 'node:fs';
import v8 from 'node:v8';
import { buildServices } from '../src/compose';
import { loadConfig } from '../src/config';
import { openDatabase, type Database } from '../src/db/database';
import { createLogger } from '../src/logger';
import { createRun, executeRun, onboardDistricts, type SyncProgress } from '../src/sync/sync-api';
import { runBaseline, type BaselineMode } from './baselines';

export interface SyncChildInput {
  databaseUrl?: string;
  dataDir?: string;
  sandboxUrl: string;
  cleverDistrictId: string;
  pageSize?: number;
  /** `sync` (default): our full sync; otherwise a baseline of baselines.ts. */
  mode?: 'sync' | BaselineMode;
}

export interface SyncChildResult {
  status: string;
  error: string | null;
  wallMs: number;
  /** Time inside SQL statements (the sync is sequential: the rest is Clever, JSON and mapping). */
  dbMs: number;
  cleverRequests: number;
  cleverMs: number;
  peakRssMb: number;
  /** process.memoryUsage() when RSS peaked. */
  peakMemory: { heapUsedMb: number; heapTotalMb: number; externalMb: number; arrayBuffersMb: number };
  /** RSS after the database was opened, before the sync started. */
  baseRssMb: number;
  phasesMs: Record<string, number>;
  counts: Record<string, Record<string, number>>;
  rowsWritten: number;
  auditEvents: number;
}

interface QueryTimes {
  ms: number;
  /** Time per statement (its first words), when BENCH_SQL_PROFILE is set. */
  byStatement: Map<string, { ms: number; calls: number }> | null;
}

/** Accumulates the time spent in queries on every pooled client (the sync runs one statement at a time). */
function timeQueries(db: Database): QueryTimes {
  const total: QueryTimes = { ms: 0, byStatement: process.env.BENCH_SQL_PROFILE ? new Map() : null };
  const statementOf = (arg: unknown) => {
    const text = typeof arg === 'string' ? arg : String((arg as { text?: string } | null)?.text ?? '');
    return text.replace(/\s+/g, ' ').trim().slice(0, 110);
  };
  db.pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const start = performance.now();
      const result = query(...args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        return (result as Promise<unknown>).finally(() => {
          const ms = performance.now() - start;
          total.ms += ms;
          if (total.byStatement) {
            const key = statementOf(args[0]);
            const entry = total.byStatement.get(key) ?? { ms: 0, calls: 0 };
            entry.ms += ms;
            entry.calls++;
            total.byStatement.set(key, entry);
          }
        });
      }
      return result;
    };
  });
  return total;
}

/** Rows of the district's roster tables written at or after the run started (insert, update, archive). */
async function rowsWrittenSince(db: Database, runId: string): Promise<{ rows: number; audit: number }> {
  const tables = ['School', 'Term', 'Course', 'Section', 'User', 'SchoolMembership', 'SectionMembership'];
  const since = `(SELECT "startedAt" FROM "SyncRun" WHERE id = $1::uuid)`;
  const [row] = await db.prisma.$queryRawUnsafe<Array<{ rows: number; audit: number }>>(
    `SELECT (${tables
      .map((t) => `(SELECT count(*) FROM "${t}" WHERE "updatedAt" >= ${since} OR "lastSeenAt" >= ${since})`)
      .join(' + ')})::int AS rows,
            (SELECT count(*) FROM "AuditEvent" WHERE "syncRunId" = $1::uuid)::int AS audit`,
    runId,
  );
  return { rows: Number(row.rows), audit: Number(row.audit) };
}

/** Peak RSS of this process image (Linux `VmHWM`); 0 where /proc is not available. */
function highWaterRssMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function runOnce(input: SyncChildInput): Promise<SyncChildResult> {
  const db = await openDatabase({ databaseUrl: input.databaseUrl, dataDir: input.dataDir, poolSize: 10 });
  const dbTime = timeQueries(db);
  const clever = { requests: 0, ms: 0 };
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    CLEVER_CLIENT_ID: 'sandbox-client',
    CLEVER_CLIENT_SECRET: 'sandbox-secret',
    CLEVER_OAUTH_URL: input.sandboxUrl,
    CLEVER_API_URL: input.sandboxUrl,
    RUN_WORKERS: 'false',
    SYNC_PAGE_SIZE: String(input.pageSize ?? 1000),
    ...(input.databaseUrl ? { DATABASE_URL: input.databaseUrl } : {}),
  });
  const logger = createLogger('warn');
  const services = await buildServices({
    config,
    db,
    logger,
    cleverHttp: {
      onRequest: (info) => {
        clever.requests++;
        clever.ms += info.durationMs;
      },
    },
  });
  try {
    const onboarded = await onboardDistricts(services.sync);
    const district = onboarded.connected.find((d) => d.cleverId === input.cleverDistrictId);
    if (!district) throw new Error(`district ${input.cleverDistrictId} is not connected`);
    const runId = await createRun(db, { districtId: district.districtId, kind: 'full', trigger: 'cli' });
    const baseRssMb = process.memoryUsage().rss / 2 ** 20;
    let peak = process.memoryUsage();
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      if (now.rss > peak.rss) peak = now;
    }, 25);
    const phasesMs: Record<string, number> = {};
    let phase = 'start';
    let phaseStart = performance.now();
    const enter = (next: string) => {
      const now = performance.now();
      phasesMs[phase] = (phasesMs[phase] ?? 0) + (now - phaseStart);
      phase = next;
      phaseStart = now;
    };
    const onProgress = (p: SyncProgress) => {
      if (p.kind === 'phase' && p.phase === 'planning' && process.env.BENCH_HEAP_SNAPSHOT) {
        (globalThis as { gc?: () => void }).gc?.();
        console.error(`heap snapshot: ${v8.writeHeapSnapshot(undefined)}`);
      }
      if (p.kind === 'phase') enter(p.phase);
      else if (p.records === 0 && !p.done) enter(`fetch ${p.collection}`);
    };
    clever.requests = 0;
    clever.ms = 0;
    dbTime.ms = 0;
    dbTime.byStatement?.clear();
    const start = performance.now();
    const mode = input.mode ?? 'sync';
    const result =
      mode === 'sync'
        ? await executeRun(services.sync, runId, { onProgress })
        : await runBaseline(services.sync, db, mode, input.cleverDistrictId).then(() => ({
            status: 'succeeded',
            error: null,
            counts: {} as Record<string, Record<string, number>>,
          }));
    const wallMs = performance.now() - start;
    enter('end');
    clearInterval(sampler);
    const peakRssMb = peak.rss / 2 ** 20;
    if (dbTime.byStatement) {
      const top = [...dbTime.byStatement.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
      for (const [text, t] of top) console.error(`${Math.round(t.ms)} ms ${t.calls}× ${text}`);
    }
    const written = await rowsWrittenSince(db, runId);
    delete phasesMs.start;
    return {
      status: result.status,
      error: result.error,
      wallMs,
      dbMs: dbTime.ms,
      cleverRequests: clever.requests,
      cleverMs: clever.ms,
      // The sampler may miss a short spike; VmHWM is this process image's own high-water mark. (Not
      // resourceUsage().maxRSS: Linux carries the parent's RSS at fork into it across exec, so a forked child
      // reported the benchmark harness's memory.)
      peakRssMb: Math.max(peakRssMb, highWaterRssMb()),
      peakMemory: {
        heapUsedMb: peak.heapUsed / 2 ** 20,
        heapTotalMb: peak.heapTotal / 2 ** 20,
        externalMb: peak.external / 2 ** 20,
        arrayBuffersMb: peak.arrayBuffers / 2 ** 20,
      },
      baseRssMb,
      phasesMs,
      counts: result.counts,
      rowsWritten: written.rows,
      auditEvents: written.audit,
    };
  } finally {
    await services.close();
    await db.close();
  }
}

process.once('message', (input: SyncChildInput) => {
  runOnce(input).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (err: unknown) =>
      process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () =>
        process.exit(1),
      ),
  );
});
