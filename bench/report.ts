// The targets of docs/benchmarks.md, evaluated on the measured figures, and the Markdown report.
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

/** The targets for B3 and B4 (full district sync): ratios to fetch-only and to fetch + COPY, memory as shipped. */
function syncTargets(scenarios: Scenario[], backend: string): Target[] {
  const targets: Target[] = [];
  const add = (name: string, value: number | undefined, limit: number, met: (v: number) => boolean) => {
    if (value !== undefined) targets.push({ name, value, limit, met: met(value) });
  };
  const b3 = find(scenarios, 'B3', backend);
  if (b3) {
    if (backend === 'pglite') {
      add(
        `B3 [${backend}] initial sync within 3× the COPY time of the same rows`,
        b3.initial_over_copy,
        3,
        (v) => v <= 3,
      );
    } else {
      add(
        `B3 [${backend}] initial sync within 2× the limit (fetch only + COPY)`,
        b3.initial_over_limit,
        2,
        (v) => v <= 2,
      );
      add(
        `B3 [${backend}] \`npm run sync\` (as shipped) initial sync within 2× the limit`,
        b3.user_sync_over_limit,
        2,
        (v) => v <= 2,
      );
      add(
        `B3 [${backend}] no-change re-sync within 1.5× fetch only`,
        b3.nochange_over_fetch,
        1.5,
        (v) => v <= 1.5,
      );
      add(
        `B3 [${backend}] ~1% changed re-sync within 1.6× fetch only`,
        b3.change_over_fetch,
        1.6,
        (v) => v <= 1.6,
      );
    }
    add(
      `B3 [${backend}] initial sync faster than one upsert per record (ratio)`,
      b3.initial_over_naive,
      1,
      (v) => v < 1,
    );
    add(`B3 [${backend}] no-change re-sync writes no rows`, b3.nochange_sync_rows_written, 0, (v) => v === 0);
    const user = Math.max(b3.user_sync_peak_rss_mb ?? 0, b3.user_nochange_peak_rss_mb ?? 0);
    add(
      `B3 [${backend}] peak RSS of \`npm run sync\` as shipped under 300 MB (MB)`,
      user || undefined,
      300,
      (v) => v < 300,
    );
    const rss = Math.max(
      b3.initial_sync_peak_rss_mb,
      b3.nochange_sync_peak_rss_mb,
      b3.change_sync_peak_rss_mb,
    );
    add(`B3 [${backend}] peak RSS of a compiled sync worker under 300 MB (MB)`, rss, 300, (v) => v < 300);
  }
  const b4 = find(scenarios, 'B4', backend);
  if (b4) {
    if (backend !== 'pglite') {
      add(
        `B4 [${backend}] initial sync at 200k students within 2× the limit`,
        b4.initial_over_limit,
        2,
        (v) => v <= 2,
      );
      // Medians of separate runs (the user command is not paired with the limit in B4).
      const userOverLimit =
        b4.user_sync_s && b4.limit_s ? Math.round((100 * b4.user_sync_s) / b4.limit_s) / 100 : undefined;
      add(
        `B4 [${backend}] \`npm run sync\` (as shipped) at 200k students within 2× the limit`,
        userOverLimit,
        2,
        (v) => v <= 2,
      );
    }
    add(
      `B4 [${backend}] peak RSS of \`npm run sync\` at 200k students under 300 MB (MB)`,
      b4.user_sync_peak_rss_mb,
      300,
      (v) => v < 300,
    );
    add(
      `B4 [${backend}] peak RSS of a compiled sync worker at 200k students under 300 MB (MB)`,
      b4.initial_sync_peak_rss_mb,
      300,
      (v) => v < 300,
    );
    add(
      `B4 [${backend}] peak RSS grows less than 25% from 50k to 200k students (%)`,
      b4.rss_growth_pct,
      25,
      (v) => v < 25,
    );
  }
  return targets;
}

/** The contenders of B3 side by side, per backend (one run's figures; medians when there are several). */
function sideBySide(scenarios: Scenario[]): string[] {
  const lines: string[] = [];
  for (const s of scenarios.filter((x) => x.name.startsWith('B3') && 'limit_s' in x.figures)) {
    const f = s.figures;
    const rows: Array<[string, number | undefined, number | undefined]> = [
      ['fetching every page, writing nothing', f.fetch_s, f.fetch_peak_rss_mb],
      ['**limit**: fetch + COPY of the same rows', f.limit_s, undefined],
      ['one upsert per record (and per membership), a transaction per page', f.naive_s, f.naive_peak_rss_mb],
      ['`npm run sync -- --district <id>` (as shipped)', f.user_sync_s, f.user_sync_peak_rss_mb],
      ['the same again, nothing changed upstream', f.user_nochange_s, f.user_nochange_peak_rss_mb],
      ['initial sync in the compiled bench worker', f.initial_sync_s, f.initial_sync_peak_rss_mb],
      ['no-change re-sync, compiled worker', f.nochange_sync_s, f.nochange_sync_peak_rss_mb],
      [
        `re-sync with ~1% changed (${f.changes_made} changes), compiled worker`,
        f.change_sync_s,
        f.change_sync_peak_rss_mb,
      ],
    ];
    lines.push(
      `### ${s.backend}`,
      '',
      '| contender | seconds | × limit | × fetch only | peak RSS (MB) |',
      '|---|---:|---:|---:|---:|',
      ...rows
        .filter(([, sec]) => sec !== undefined)
        .map(
          ([name, sec, rss]) =>
            `| ${name} | ${sec} | ${(sec! / f.limit_s).toFixed(2)} | ${(sec! / f.fetch_s).toFixed(2)} | ${rss === undefined ? '—' : Math.round(rss)} |`,
        ),
      '',
    );
  }
  if (lines.length === 0) return [];
  return [
    '## Side by side (B3, 50k students)',
    '',
    'All in one run against one sandbox process serving the same district, read once untimed before the first',
    'contender (a cold sandbox made the first one timed, fetch only, slower). The limit is the fetch-only time plus',
    'the COPY of the rows our initial sync produced into an empty migrated database. `npm run sync` is the real npm',
    'script spawned with the settings the project ships; its peak RSS is the largest process of the tree npm',
    'starts (the node process running the sync; npm itself adds ~75 MB beside it, `user_*_tree_peak_rss_mb`).',
    'The sources are compiled for it (`scripts/run.cjs`, once per change of src/) before the first timed run.',
    'The compiled bench worker is `bench/sync-child.ts` built to JavaScript (the `npm run worker:prod` path).',
    'Fetch only and the worker rows time the run itself, in a process already started and connected; the',
    '`npm run sync` rows are the whole command, spawn to exit: npm, Node, loading the sources, opening the',
    "database, checking migrations, Prisma's query compiler and onboarding come to ~1.2 s of a no-change run",
    '(CPU profile of the command), which is why its "× fetch only" is above the worker\'s.',
    '',
    ...lines,
  ];
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
    'npm run bench -- b1                # one scenario (b1, b2, b3, b4; b4 includes b3); keeps the others',
    'npm run bench -- --report-only     # re-render this page from docs/benchmarks.json',
    'BENCH_SYNC_RUNS=1 npm run bench -- b3   # a quicker B3 (BENCH_B4_RUNS: paired B4 runs)',
    'BENCH_BACKENDS=postgres npm run bench -- b3   # one backend only',
    '```',
    '',
    'B3/B4 start the sandbox in a child process (`src/sandbox/main.ts` with `SANDBOX_SCALE_*`) and run every sync in',
    'a process of its own (`bench/sync-child.ts`: `buildServices` → `onboardDistricts` → `createRun` → `executeRun`),',
    'so the peak RSS is the syncing process alone. That process runs compiled JavaScript (built with',
    '`tsconfig.bench.json`, as `npm run worker:prod` runs `dist/`) with the V8 heap settings `npm run worker`',
    'ships with, read from package.json ([operations.md](operations.md#memory-of-a-worker):',
    "`--max-old-space-size=128 --max-semi-space-size=8`; `BENCH_V8_DEFAULTS=1` measures with V8's defaults).",
    'On PGlite the database lives in that process (the embedded design) and its memory counts. Rows written = rows',
    "of the roster tables whose `updatedAt` or `lastSeenAt` is at or after the run's start. The COPY limit loads the",
    'rows the initial sync produced into an empty migrated database (same indexes and foreign keys) and is timed in',
    'the same run; ratios are per run, then the median.',
    '',
    'In the same run B3 also measures, each in a process of its own against the same sandbox: fetching every page',
    'with the same client and page size and writing nothing (`bench/baselines.ts`, `fetch`); one upsert per',
    'record and per membership in a transaction per page (`naive`, into an empty database); and `npm run sync --',
    '--district <id>` spawned as users run it (`bench/user-command.ts`: the package.json script and config',
    'defaults, only the sandbox and database given by environment), into an empty database and again with nothing',
    'changed; B4 spawns it at 200k students. The limit is fetch only + COPY. pg-copy-streams is a',
    'devDependency used by the COPY limit only: the sync itself writes each page with multi-row',
    '`INSERT … SELECT … FROM unnest(<one array per column>)` statements (src/db/upsert-rows.ts).',
    '',
    '## Targets',
    '',
    '| Target | Measured | Limit | Met |',
    '|---|---|---|---|',
    ...report.targets.map((t) => `| ${t.name} | ${t.value} | ${t.limit} | ${t.met ? 'yes' : '**no**'} |`),
    '',
    ...sideBySide(report.scenarios),
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

/** What profiling (per-statement timing, EXPLAIN ANALYZE, CPU profiles, GC traces) showed. */
const ANALYSIS: string[] = [
  'Profiled with per-statement timing (`BENCH_SQL_PROFILE=1`), `EXPLAIN ANALYZE` on the slow statements, CPU',
  'profiles of the syncing process (`BENCH_CHILD_ARGS=--cpu-prof`), `--trace-gc` and CPU time per process read',
  'from /proc. The figures come from three runs on PostgreSQL (`BENCH_SYNC_RUNS=3`, B4 paired with each) and two',
  'on PGlite (B4 once), on a 2-core machine that also runs the sandbox and PostgreSQL, so single timings vary by',
  '±20% between runs; the ratios, taken inside one run, vary less. With two pages written at once, the time',
  'inside SQL is summed over both connections: a share above 1 means they overlapped.',
  '',
  '**Latest round.** No change to what the sync does (one refactor in src/sync/full-sync.ts); measured again with',
  'three PostgreSQL runs on a machine back at its usual speed (fetch only 2.5–2.8 s, against 2.9–3.2 s in the',
  'round before, whose larger denominators flattered its ratios), to settle whether the ~1% changed re-sync is',
  'under 1.6× fetch only: 1.42× (1.40×, 1.48×, 1.32× in the three runs). In each run every PostgreSQL time ratio was within',
  "its target. PGlite's initial sync came to 2.96× its own COPY (3.15× and 2.78×; target 3×): its COPY was faster than",
  'in the round before (9.9–11 s against 13.6–20.4 s) while the sync itself took 31 s against 36–41 s.',
  '',
  "**The round before**: changed users carried from page to page and written a page's worth at a time (a",
  "re-sync where ~1% of users changed had a few on every page, each page's few costing ~8 statements and a",
  'commit); the users and sections a run did not see found once, not twice, at the end (planning ~0.35 → ~0.25',
  's); the compiled worker measured with the young generation `npm run worker` ships (8 MB, not 32 MB). Tried and',
  "reverted: a statement-level trigger on the membership tables forgetting a parent's digest on any membership",
  'write (~0.3 s less PostgreSQL CPU per re-sync in paired runs, wall time within noise, work added to every',
  'membership statement).',
  '',
  '**Earlier rounds** (PostgreSQL, 50k students): a user whose record is exactly as last time (its hash as sent,',
  'salted with the schools and the code) is not validated again (no-change 1.9× → 1.3× fetch only); planner',
  'statistics refreshed after a load; array parameters sent as one literal each (3.3 → 2.6 GB allocated); the',
  'fetch-only baseline is timed against a warm sandbox (a cold sandbox flattered every ratio); digests hash the',
  'mapped values with `crypto.hash`; planning counts active rows only when something is to be archived; the',
  'command-line processes no longer load the web layer; a new embedded database is created in a short-lived',
  'process of its own (an app that ran initdb kept ~650 MB). Before that: the commands users run start from',
  '`src/` compiled once per change by esbuild (`scripts/run.cjs`); a page of known users skips the matching',
  "query; two pages written at once on their own connections (`SYNC_WRITE_CONCURRENCY`); JIT off in the sync's",
  'transactions (planning 1.5 s → 0.3 s); the ids seen kept in the process instead of a staging table; progress',
  "recorded once a second; a section's digest names its members by Clever id; schools' ids read once per run;",
  'PGlite opened with 16 MB of shared buffers. Together: initial 2.5× → 1.7× the limit, 200k students 3.3× →',
  '1.9×, no-change 4.1× → 1.9× fetch only, ~1% changed 4.3× → 2.2×. Tried and reverted: planning all but',
  'sections early (no gain on two cores, slower section pages at 200k); reading the in-step digests once per run',
  '(not the bottleneck); 8/16/32 MB young generations for `npm run sync` (within noise).',
  '',
  '**Where the remaining time goes.**',
  '',
  '- _Re-syncs_ (no-change 1.17× fetch only, ~1% changed 1.42×; targets 1.5× and 1.6×). The machine is',
  '  CPU-bound: fetch only already keeps both cores busy (~4–5 s of CPU in ~2.5 s: the syncing process parsing',
  "  and validating every record, the sandbox ~0.6 s). A no-change re-sync's own process uses less CPU than",
  '  fetch only (a user exactly as last time is not validated again), one with ~1% changed about as much;',
  "  what it adds is PostgreSQL's CPU, ~0.6–0.8 s with",
  '  nothing changed and ~1.0–1.2 s with ~1% changed (paired runs, CPU per process from /proc). Most of it is',
  '  one digest lookup per page: ~8 ms for 1,000 users run alone in psql (~4 ms finding the users by',
  '  `"cleverId" = ANY(…)`, ~4 ms joining their digests; counting their memberships is within noise), ~12 ms as',
  '  the sync sees it, ~0.65 s summed over the 54 pages of users. Then planning (~0.1–0.2 s) and, with changes,',
  "  the changed records' writes.",
  '- _Initial sync_ (compiled worker 1.27× the limit, `npm run sync` 1.48×; at 200k students 1.26× and 1.44×).',
  "  Beyond the worker's timing the command pays for npm (~0.3 s), loading the compiled sources (~0.3 s),",
  "  Prisma's first queries (~0.2–0.3 s: loading and compiling its query compiler), opening the database,",
  '  checking migrations and onboarding the districts. A CPU profile of the command shows ~3.3 s of its ~14 s in',
  '  garbage collection. The section pages dominate the second half: 6 pages of 1,000 sections carry 200k',
  '  memberships, so two writers have only three rounds to share, each a 33k-row membership insert (~0.8 s) with',
  '  its plan. The users half is validation, matching, upsert, school memberships, audit (59k `AuditEvent`',
  '  rows) and digests per page; COPY only loads rows. Staging pages with COPY and merging set-based (not built:',
  "  pg-copy-streams is only a devDependency, and PGlite's COPY goes through its own API) would replace the",
  '  parameter arrays.',
  '- _PGlite_ (initial 2.96× its own COPY; target 3×, met at the limit in this run, 2.35× in the round before):',
  "  one connection, so no second writer, and the database runs on the syncing process's own thread. A CPU",
  "  profile of the initial sync (~31 s): PostgreSQL's WebAssembly ~18 s, PGlite's JavaScript ~5.8 s, garbage",
  "  collection ~2.5 s. Of PGlite's JavaScript, ~1.2 s decodes result messages and ~1.7 s is its emulated file",
  '  system: ~10,000 `lstat` calls, ~6,800 of them for free-space-map files that do not exist yet (PostgreSQL',
  "  looks for a table's or index's free space map when a page fills), each a failed lookup in JavaScript.",
  "- _Memory._ `npm run sync` peaks at ~240 MB at 50k and ~260 MB at 200k students on PostgreSQL (npm's own",
  '  process adds ~60 MB beside it); the compiled worker at ~250 MB at both sizes; single peaks move by ±30 MB',
  '  between runs here. With PGlite the database lives in the process: opening one takes a bare Node process from',
  '  ~45 MB to ~170 MB of RSS (its WebAssembly memory starts at 128 MB, the least its module accepts), which',
  '  puts `npm run sync` at ~365 MB at 50k and ~375 MB at 200k, over 300 MB. Creating an empty embedded database',
  '  (initdb, once per data directory) happens in a short-lived process of its own, which peaks at ~800 MB for a',
  '  few seconds.',
];
