// Targets from issue #8, evaluated on the measured figures, and the Markdown report.
import fs from 'node:fs';
import { fromRoot } from '../src/paths';
import type { Scenario } from './login';

export interface Target {
  name: string;
  value: number | string;
  limit: number | string;
  met: boolean;
}

const find = (scenarios: Scenario[], prefix: string, backend: string) =>
  scenarios.find((s) => s.name.startsWith(prefix) && s.backend === backend)?.figures;

export function evaluateTargets(scenarios: Scenario[]): Target[] {
  const targets: Target[] = [];
  for (const backend of [...new Set(scenarios.map((s) => s.backend))]) {
    const b1 = find(scenarios, 'B1', backend);
    if (b1) {
      targets.push({
        name: `B1 [${backend}] Clever calls per login independent of roster size (8×35 vs 2×5)`,
        value: `${b1.first_login_clever_calls} vs ${b1.small_first_login_clever_calls}`,
        limit: 'equal',
        met: b1.first_login_clever_calls === b1.small_first_login_clever_calls,
      });
      targets.push({
        name: `B1 [${backend}] SQL statements per login independent of roster size (8×35 vs 2×5)`,
        value: `${b1.first_login_sql_statements} vs ${b1.small_first_login_sql_statements}`,
        limit: 'equal',
        met: b1.first_login_sql_statements === b1.small_first_login_sql_statements,
      });
      targets.push({
        name: `B1 [${backend}] repeat login with no change writes no roster rows`,
        value: b1.repeat_login_roster_rows_written,
        limit: 0,
        met: b1.repeat_login_roster_rows_written === 0,
      });
    }
    const b2 = find(scenarios, 'B2', backend);
    if (b2) {
      targets.push({ name: `B2 [${backend}] errors`, value: b2.errors, limit: 0, met: b2.errors === 0 });
      targets.push({
        name: `B2 [${backend}] p95 within 3× p50`,
        value: b2.p95_over_p50,
        limit: 3,
        met: b2.p95_over_p50 <= 3,
      });
    }
    targets.push(...syncTargets(scenarios, backend));
  }
  return targets;
}

/** Issue #8's targets for B3 and B4 (full district sync). */
function syncTargets(scenarios: Scenario[], backend: string): Target[] {
  const targets: Target[] = [];
  const b3 = find(scenarios, 'B3', backend);
  if (b3) {
    targets.push({
      name: `B3 [${backend}] initial sync within 3× the COPY time of the same rows`,
      value: b3.initial_over_copy,
      limit: 3,
      met: b3.initial_over_copy <= 3,
    });
    targets.push({
      name: `B3 [${backend}] no-change re-sync within 30% of the initial sync time`,
      value: b3.nochange_over_initial,
      limit: 0.3,
      met: b3.nochange_over_initial <= 0.3,
    });
    targets.push({
      name: `B3 [${backend}] no-change re-sync writes no rows`,
      value: b3.nochange_sync_rows_written,
      limit: 0,
      met: b3.nochange_sync_rows_written === 0,
    });
    const rss = Math.max(
      b3.initial_sync_peak_rss_mb,
      b3.nochange_sync_peak_rss_mb,
      b3.change_sync_peak_rss_mb,
    );
    targets.push({
      name: `B3 [${backend}] peak RSS of a sync under 300 MB (MB)`,
      value: rss,
      limit: 300,
      met: rss < 300,
    });
  }
  const b4 = find(scenarios, 'B4', backend);
  if (b4) {
    targets.push({
      name: `B4 [${backend}] peak RSS of a sync at 200k students under 300 MB (MB)`,
      value: b4.initial_sync_peak_rss_mb,
      limit: 300,
      met: b4.initial_sync_peak_rss_mb < 300,
    });
    targets.push({
      name: `B4 [${backend}] peak RSS grows less than 25% from 50k to 200k students (%)`,
      value: b4.rss_growth_pct,
      limit: 25,
      met: b4.rss_growth_pct < 25,
    });
  }
  return targets;
}

export function renderMarkdown(report: {
  date: string;
  machine: string;
  scenarios: Scenario[];
  targets: Target[];
}): string {
  const lines = [
    '# Benchmarks',
    '',
    `Measured ${report.date.slice(0, 10)} on ${report.machine}. Each figure is the median of several runs; ratios are taken inside one run.`,
    '',
    '## How to reproduce',
    '',
    '```sh',
    'npm run bench                      # embedded database (PGlite)',
    'DATABASE_URL=postgresql://… npm run bench   # also PostgreSQL',
    'npm run bench -- b1                # one scenario (b1, b2, b3, b4; b4 includes b3)',
    'npm run bench -- --report-only     # re-render this page from docs/benchmarks.json',
    'BENCH_SYNC_RUNS=1 npm run bench -- b3   # a quicker B3 (BENCH_B4_RUNS: paired B4 runs)',
    '```',
    '',
    'B3/B4 start the sandbox in a child process (`src/sandbox/main.ts` with `SANDBOX_SCALE_*`) and run every sync in',
    'a process of its own (`bench/sync-child.ts`: `buildServices` → `onboardDistricts` → `createRun` → `executeRun`),',
    'so the peak RSS is the syncing process alone. On PGlite the database lives in that process (the embedded',
    'design) and its memory counts. Rows written = rows of the roster tables whose `updatedAt` or `lastSeenAt` is',
    "at or after the run's start. The COPY limit loads the rows the initial sync produced into an empty migrated",
    'database (same indexes and foreign keys) and is timed in the same run; ratios are per run, then the median.',
    '',
    '## Targets',
    '',
    '| Target | Measured | Limit | Met |',
    '|---|---|---|---|',
    ...report.targets.map((t) => `| ${t.name} | ${t.value} | ${t.limit} | ${t.met ? 'yes' : '**no**'} |`),
    '',
    '## Scenarios',
    '',
  ];
  for (const s of report.scenarios) {
    lines.push(`### ${s.name} — ${s.backend}`, '', '| Figure | Value |', '|---|---|');
    for (const [k, v] of Object.entries(s.figures)) lines.push(`| ${k} | ${v} |`);
    lines.push('');
    for (const note of (s as { notes?: string[] }).notes ?? []) lines.push(note, '');
  }
  lines.push(...whereTheTimeGoes(report.scenarios), ...soakSection());
  return `${lines.join('\n')}\n`;
}

interface SoakResult {
  seconds: number;
  errors: number;
  latencyMs: Record<string, { p50: number; p95: number; p99: number }>;
  memory: { start: { rssMb: number; heapUsedMb: number }; end: { rssMb: number; heapUsedMb: number } };
}

/** The latest `npm run soak` results (docs/soak.json, written by bench/soak.ts), summarised. */
function soakSection(): string[] {
  const file = fromRoot('docs', 'soak.json');
  if (!fs.existsSync(file)) return [];
  const results = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, SoakResult>;
  const lines = [
    '## Soak',
    '',
    'A bounded mixed load (`npm run soak`: sign-ins, roster reads and a sync running throughout); details in',
    '[soak.md](soak.md).',
    '',
    '| Backend | Seconds | Errors | Sign-in p50 / p95 / p99 (ms) | Heap start → end (MB) | RSS start → end (MB) |',
    '|---|---|---|---|---|---|',
  ];
  for (const [backend, r] of Object.entries(results)) {
    const signIn = r.latencyMs.sign_in;
    lines.push(
      `| ${backend} | ${r.seconds} | ${r.errors} | ${signIn.p50} / ${signIn.p95} / ${signIn.p99} | ` +
        `${r.memory.start.heapUsedMb} → ${r.memory.end.heapUsedMb} | ${r.memory.start.rssMb} → ${r.memory.end.rssMb} |`,
    );
  }
  return [...lines, ''];
}

/** Per-phase seconds of the B3 syncs, from the figures (`<sync>_phase_<phase>_s`). */
function phaseTable(scenarios: Scenario[]): string[] {
  const b3 = scenarios.filter((s) => s.name.startsWith('B3') || s.name.startsWith('B4'));
  if (b3.length === 0) return [];
  const columns = b3.flatMap((s) =>
    ['initial', 'nochange'].filter((k) => `${k}_sync_s` in s.figures).map((k) => ({ s, k })),
  );
  const phases = [
    ...new Set(
      columns.flatMap(({ s, k }) =>
        Object.keys(s.figures)
          .filter((f) => f.startsWith(`${k}_phase_`))
          .map((f) => f.slice(`${k}_phase_`.length, -2)),
      ),
    ),
  ].filter((p) => p !== 'fetching');
  const head = columns.map(({ s, k }) => `${s.name.slice(0, 2)} ${k} (${s.backend})`);
  const rows = phases.map(
    (p) =>
      `| ${p.replace(/_/g, ' ')} | ${columns.map(({ s, k }) => s.figures[`${k}_phase_${p}_s`] ?? '').join(' | ')} |`,
  );
  const share = `| share of the time inside SQL | ${columns.map(({ s, k }) => s.figures[`${k}_sync_db_share`] ?? '').join(' | ')} |`;
  return [`| Phase (s) | ${head.join(' | ')} |`, `|---|${head.map(() => '---').join('|')}|`, ...rows, share];
}

function whereTheTimeGoes(scenarios: Scenario[]): string[] {
  const table = phaseTable(scenarios);
  if (table.length === 0) return [];
  return ['## Where the time goes', '', ...table, '', ...ANALYSIS, ''];
}

/** What profiling (`--cpu-prof`, heap snapshots, EXPLAIN ANALYZE, per-statement timing) showed. */
const ANALYSIS: string[] = [
  'Profiled with per-statement timing (`BENCH_SQL_PROFILE=1`), `--cpu-prof` and heap snapshots of the sync process',
  '(`BENCH_CHILD_ARGS`, `BENCH_HEAP_SNAPSHOT=1`), and `EXPLAIN (ANALYZE, BUFFERS)` / `auto_explain` on the slow',
  'statements. Profiling figures below are from single runs at 50k students on PostgreSQL unless stated. Other',
  "engineers' test suites shared the machine's two cores during these runs: single timings vary by up to 2×, the",
  'per-run ratios much less. Time grows linearly with the district (B4: 4× the data, 3.3–4.3× the time).',
  '',
  '**Fixed while benchmarking.**',
  '',
  '- _The no-change re-sync of a 50k-student district failed._ Its archive planning ran over 210 s and the',
  "  transaction expired (60 s). The run's staged keys are never in the planner's statistics (a new run id; PGlite",
  '  never analyzes at all), so it estimated one `SyncSeen` row and chose a nested-loop anti-join that rescans every',
  '  staged key for every row: O(rows × keys) — 2.5 s for 6k sections, hours for 156k enrollments. The first sync',
  '  hid it because every row was just written and filtered out earlier. `planArchives` now plans with',
  '  `SET LOCAL enable_nestloop = off` (hash anti-joins, linear): ~2.5 s for all seven record types at 50k.',
  "- _PGlite's first sync of a district was quadratic._ Matching new users to pre-Clever accounts probed",
  '  `"districtId" = $4` AND `"emailNormalized" = …`; without statistics PGlite intersected the district index (the',
  '  whole district, for every new user) with the email index: 10 s of a 25 s sync at 20k students, 75 s of 110 s',
  '  at 50k. The probe now uses the email index alone (`IS NOT DISTINCT FROM`, same meaning): 0.67 → 0.10 s a page.',
  '',
  '**Initial sync (against COPY).** About three quarters of the wall time is inside SQL; the rest is reading',
  "Clever (JSON parsing, zod validation — under 1 s of requests), mapping, and serialising every bulk statement's",
  'parameter arrays (now on a plain `pg` client, no longer through Prisma). The sync writes more than COPY does: every Clever key is',
  'also staged in `SyncSeen` (268k rows at 50k, ~2 s), every created record gets an `AuditEvent` (59k), and each',
  'table is written by a `SELECT` of existing rows plus an `INSERT … ON CONFLICT DO UPDATE … WHERE changed` per page,',
  'with account matching for new users. The biggest statements: section memberships (25k rows a page, ~25% of the',
  'SQL time), `SyncSeen` staging, users, matching, school memberships, audit.',
  '',
  '**No-change re-sync.** It fetches and validates everything again (same JS cost as the first sync), compares',
  'every row (the `INSERT … ON CONFLICT … WHERE changed` still probes and locks each row though it writes none),',
  'stages every key again and plans archives over every row. Nothing is written, but the work is proportional to',
  'the district, not to the change: 70–80% of the initial sync, not 30%. What would bring it down: compare',
  "in upsertRows' first `SELECT` and send only new or changed rows to the `INSERT`; stage keys with `COPY`.",
  '',
  '**Memory.** The syncing process starts at ~250 MB before the first page under `tsx` (Node, the TypeScript loader',
  '≈ 70 MB, Prisma client and its query-compiler WebAssembly ≈ 70 MB; compiled JavaScript starts at ~150 MB), and',
  'PGlite adds ~200 MB of WebAssembly memory in-process. A heap snapshot of the earlier version showed',
  '`@prisma/debug` keeping the arguments of the last 100 driver-adapter calls — whole pages of parameters — so the',
  "sync's bulk statements now run on a `pg` client from the same pool (`src/sync/transaction.ts`). That sped the",
  'initial sync up (PGlite now within 3× COPY) but did not bring the peak RSS near 300 MB: it stays ~0.7–0.9 GB',
  'at 50k and 200k alike (bounded by the page size, not the district: growth from 50k to 200k is met). Not yet',
  'pinned down: how much is V8 letting the heap grow between collections with 25k-row membership pages in',
  'flight, versus memory the process keeps. Next steps: a heap snapshot of the current code at its peak, smaller',
  'membership batches per statement, and measuring compiled JavaScript rather than `tsx`.',
];
