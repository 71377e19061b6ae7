// B3 (full sync of a generated district, then a no-change and a 1%-change re-sync, against the COPY limit)
// and B4 (the same initial sync at 4× the size). The sandbox runs in a child process of its own
// (`src/sandbox/main.ts`) and every sync in another (`sync-child.ts`), so each one's memory is its own.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../src/paths';
import { measureCopy } from './copy-limit';
import { emptyDatabase, median, round, type Backend, type DatabaseLocation } from './harness';
import type { Scenario } from './login';

export interface NotedScenario extends Scenario {
  notes?: string[];
}
import type { SyncChildInput, SyncChildResult } from './sync-child';
import { runUserSync, type UserCommandResult } from './user-command';

export interface DistrictShape {
  students: number;
  teachers: number;
  sections: number;
  studentsPerSection: number;
}

/** 50k students, 3k teachers, 6k sections of 25: 150k enrollments (B3 in docs/benchmarks.md). */
export const B3_SHAPE: DistrictShape = {
  students: 50_000,
  teachers: 3_000,
  sections: 6_000,
  studentsPerSection: 25,
};
export const B4_SHAPE: DistrictShape = {
  students: 200_000,
  teachers: 12_000,
  sections: 24_000,
  studentsPerSection: 25,
};

interface SandboxProcess {
  url: string;
  districtId: string;
  token: string;
  close(): Promise<void>;
}

const tsxArgs = (script: string) => ['--import', 'tsx', fromRoot(script)];

export async function startSandboxProcess(shape: DistrictShape): Promise<SandboxProcess> {
  const child = spawn(process.execPath, tsxArgs('src/sandbox/main.ts'), {
    cwd: fromRoot(),
    env: {
      ...process.env,
      SANDBOX_PORT: '0',
      SANDBOX_SCALE_STUDENTS: String(shape.students),
      SANDBOX_SCALE_TEACHERS: String(shape.teachers),
      SANDBOX_SCALE_SECTIONS: String(shape.sections),
      SANDBOX_SCALE_STUDENTS_PER_SECTION: String(shape.studentsPerSection),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const found = await new Promise<{ url: string; districtId: string; token: string }>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += String(chunk);
      const url = /Clever sandbox: (\S+)/.exec(out)?.[1];
      const scale = /Scale USD ([0-9a-f]{24}) {2}token ([0-9a-f]+)\n/.exec(out);
      if (url && scale) resolve({ url, districtId: scale[1], token: scale[2] });
    });
  });
  child.stdout!.resume();
  return {
    ...found,
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function control(sandbox: SandboxProcess, action: string, body: unknown): Promise<void> {
  const res = await fetch(`${sandbox.url}/__sandbox/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(sandbox.url).origin },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${action} answered ${res.status}: ${await res.text()}`);
}

interface SectionSample {
  id: string;
  students: string[];
  teachers: string[];
}

async function listSections(sandbox: SandboxProcess): Promise<SectionSample[]> {
  const sections: SectionSample[] = [];
  let next: string | null = '/v3.0/sections?limit=10000';
  while (next) {
    const res = await fetch(`${sandbox.url}${next}`, {
      headers: { authorization: `Bearer ${sandbox.token}` },
    });
    if (!res.ok) throw new Error(`sandbox /sections answered ${res.status}`);
    const body = (await res.json()) as {
      data: Array<{ data: SectionSample }>;
      links: Array<{ rel: string; uri: string }>;
    };
    for (const { data } of body.data)
      sections.push({ id: data.id, students: data.students, teachers: data.teachers });
    next = body.links.find((l) => l.rel === 'next')?.uri ?? null;
  }
  return sections;
}

/**
 * Changes 1% of the district's users and sections through the sandbox's control API, spread evenly: a third
 * renamed students, a third new email addresses (students and teachers), a third students moved from one
 * section to another. Returns how many changes were made.
 */
export async function changeOnePercent(sandbox: SandboxProcess, shape: DistrictShape): Promise<number> {
  const sections = await listSections(sandbox);
  const total = Math.round((shape.students + shape.teachers + shape.sections) / 100);
  const each = Math.floor(total / 3);
  const pick = (i: number) => sections[Math.floor((i * sections.length) / each)];
  const jobs: Array<() => Promise<void>> = [];
  const touched = new Set<string>();
  for (let i = 0; i < each; i++) {
    const s = pick(i);
    const renamed = s.students[0];
    const emailed = i % 4 === 0 ? s.teachers[0] : s.students[1];
    const moved = s.students[2];
    const to = sections[(sections.indexOf(s) + Math.floor(sections.length / 2)) % sections.length];
    if (![renamed, emailed, moved].every((id) => id && !touched.has(id)) || to.students.includes(moved))
      continue;
    [renamed, emailed, moved].forEach((id) => touched.add(id));
    jobs.push(
      () => control(sandbox, 'rename', { type: 'user', id: renamed, name: `Renamed Student${i}` }),
      () => control(sandbox, 'set-email', { userId: emailed, email: `changed${i}@scale-usd.example.org` }),
      () => control(sandbox, 'move-student', { studentId: moved, fromSection: s.id, toSection: to.id }),
    );
  }
  // A few at a time: each answer carries its events.
  for (let i = 0; i < jobs.length; i += 8) await Promise.all(jobs.slice(i, i + 8).map((job) => job()));
  return jobs.length;
}

/**
 * The syncing process runs compiled JavaScript, as `npm run worker:prod` does (tsx's loader adds ~100 MB to a
 * process): built once per benchmark run into dist/ (tsconfig.bench.json).
 */
let compiledChild: string | null = null;
function syncChildScript(): string {
  if (!compiledChild) {
    execFileSync(
      process.execPath,
      [fromRoot('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bench.json'],
      {
        cwd: fromRoot(),
        stdio: 'inherit',
      },
    );
    compiledChild = fromRoot('dist/bench/sync-child.js');
  }
  return compiledChild;
}

/**
 * The V8 heap settings of the syncing process: those `npm run worker` ships with (read from package.json, as
 * docs/operations.md gives them for `npm run worker:prod`: old space capped at 128 MB, a small young
 * generation). `BENCH_V8_DEFAULTS=1` leaves V8's defaults, which on a large machine let the heap grow to several
 * times the live set.
 */
export const SYNC_WORKER_V8_FLAGS = process.env.BENCH_V8_DEFAULTS ? [] : shippedWorkerFlags();

function shippedWorkerFlags(): string[] {
  const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const flags = pkg.scripts.worker.split(/\s+/).filter((arg) => arg.startsWith('--max-'));
  if (flags.length === 0) throw new Error('package.json: `npm run worker` names no V8 heap flags');
  return flags;
}

export async function runSyncChild(input: SyncChildInput): Promise<SyncChildResult> {
  const child: ChildProcess = fork(syncChildScript(), [], {
    cwd: fromRoot(),
    execArgv: [...SYNC_WORKER_V8_FLAGS, ...(process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const reply = await new Promise<{ result?: SyncChildResult; error?: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { result?: SyncChildResult; error?: string }));
    child.once('exit', (code) => reject(new Error(`the sync process exited (${code}) without a result`)));
    child.send(input);
  });
  await new Promise<void>((resolve) =>
    child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
  if (!reply.result) throw new Error(`sync process failed: ${reply.error}`);
  if (reply.result.status !== 'succeeded')
    throw new Error(`sync ${reply.result.status}: ${reply.result.error}`);
  return reply.result;
}

const childInput = (
  db: DatabaseLocation,
  sandbox: SandboxProcess,
  mode: SyncChildInput['mode'] = 'sync',
): SyncChildInput => ({
  databaseUrl: db.url ?? undefined,
  dataDir: db.dataDir ?? undefined,
  sandboxUrl: sandbox.url,
  cleverDistrictId: sandbox.districtId,
  mode,
});

/** Fetch only, then the per-record-upsert baseline, in an empty database of their own (baselines.ts). */
async function baselines(backend: Backend, sandbox: SandboxProcess, withNaive: boolean) {
  const db = await emptyDatabase(backend);
  try {
    const fetch = await runSyncChild(childInput(db, sandbox, 'fetch'));
    const naive = withNaive ? await runSyncChild(childInput(db, sandbox, 'naive')) : null;
    return { fetch, naive };
  } finally {
    await db.drop();
  }
}

/** Reads every page once, untimed (see benchSync). */
async function warmUp(backend: Backend, sandbox: SandboxProcess): Promise<void> {
  const db = await emptyDatabase(backend);
  try {
    await runSyncChild(childInput(db, sandbox, 'fetch'));
  } finally {
    await db.drop();
  }
}

/** `npm run sync` as users run it into an empty database, then again with nothing changed (user-command.ts). */
async function userSyncs(backend: Backend, sandbox: SandboxProcess, again: boolean) {
  const db = await emptyDatabase(backend);
  try {
    const first = await runUserSync(db, sandbox);
    if (first.exitCode !== 0) throw new Error(`npm run sync exited ${first.exitCode}`);
    const second = again ? await runUserSync(db, sandbox) : null;
    if (second && second.exitCode !== 0) throw new Error(`npm run sync (again) exited ${second.exitCode}`);
    return { first, second };
  } finally {
    await db.drop();
  }
}

function pushUser(f: Figures, prefix: string, r: UserCommandResult) {
  push(f, `${prefix}_s`, r.wallMs / 1000);
  push(f, `${prefix}_peak_rss_mb`, r.syncRssMb);
  push(f, `${prefix}_tree_peak_rss_mb`, r.treeRssMb);
}

/** One initial sync into an empty database and COPY of the same rows into another; the caller drops `db`. */
async function initialSyncAgainstCopy(backend: Backend, sandbox: SandboxProcess, db: DatabaseLocation) {
  const sync = await runSyncChild(childInput(db, sandbox));
  const target = await emptyDatabase(backend);
  try {
    const copy = await measureCopy(db, target);
    return { sync, copy };
  } finally {
    await target.drop();
  }
}

type Figures = Record<string, number[]>;
const push = (f: Figures, key: string, value: number) => (f[key] ??= []).push(value);
const medians = (f: Figures) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, round(median(v), 2)]));

function pushSync(f: Figures, prefix: string, r: SyncChildResult) {
  push(f, `${prefix}_s`, r.wallMs / 1000);
  push(f, `${prefix}_peak_rss_mb`, r.peakRssMb);
  push(f, `${prefix}_base_rss_mb`, r.baseRssMb);
  push(f, `${prefix}_heap_used_at_peak_mb`, r.peakMemory.heapUsedMb);
  push(f, `${prefix}_clever_requests`, r.cleverRequests);
  push(f, `${prefix}_rows_written`, r.rowsWritten);
  push(f, `${prefix}_db_share`, r.dbMs / r.wallMs);
}

function pushPhases(f: Figures, prefix: string, r: SyncChildResult) {
  for (const [phase, ms] of Object.entries(r.phasesMs))
    push(f, `${prefix}_phase_${phase.replace(/ /g, '_')}_s`, ms / 1000);
}

export interface SyncBenchOptions {
  runs?: number;
  /** Also run B4 (200k students), paired with the first `b4Runs` runs of B3. */
  withB4?: boolean;
  b4Runs?: number;
  b3?: DistrictShape;
  b4?: DistrictShape;
  log?: (msg: string) => void;
}

export async function benchSync(backend: Backend, options: SyncBenchOptions = {}): Promise<NotedScenario[]> {
  const runs = options.runs ?? 3;
  const b3Shape = options.b3 ?? B3_SHAPE;
  const b4Shape = options.b4 ?? B4_SHAPE;
  const log = options.log ?? (() => undefined);
  const b3: Figures = {};
  const b4: Figures = {};
  let copyMethod = '';
  const small = await startSandboxProcess(b3Shape);
  const large = options.withB4 ? await startSandboxProcess(b4Shape) : null;
  try {
    // A sandbox serves its first listing slower (its code not yet optimised): the first contender timed would
    // pay for that, and the first is the fetch-only baseline every ratio divides by. One untimed read first.
    await warmUp(backend, small);
    if (large) await warmUp(backend, large);
    // `npm run sync` compiles src/ once after any change (scripts/run.cjs): done here, untimed, so that the first
    // timed run is not the one that pays for it (users pay it once per upgrade, not per sync).
    execFileSync(process.execPath, [
      '-e',
      `require(${JSON.stringify(fromRoot('scripts', 'run.cjs'))}).compiledTree()`,
    ]);
    for (let run = 0; run < runs; run++) {
      const base = await baselines(backend, small, true);
      log(
        `B3 ${backend} run ${run + 1}: fetch only ${round(base.fetch.wallMs / 1000)} s, per-record upsert ${round(base.naive!.wallMs / 1000)} s`,
      );
      const user = await userSyncs(backend, small, true);
      log(
        `B3 ${backend} run ${run + 1}: npm run sync ${round(user.first.wallMs / 1000)} s (${round(user.first.syncRssMb)} MB), again ${round(user.second!.wallMs / 1000)} s (${round(user.second!.syncRssMb)} MB)`,
      );
      const db = await emptyDatabase(backend);
      try {
        const { sync: initial, copy } = await initialSyncAgainstCopy(backend, small, db);
        copyMethod = copy.method;
        log(
          `B3 ${backend} run ${run + 1}: initial ${round(initial.wallMs / 1000)} s, COPY ${round(copy.ms / 1000)} s`,
        );
        const again = await runSyncChild(childInput(db, small));
        log(
          `B3 ${backend} run ${run + 1}: no-change ${round(again.wallMs / 1000)} s, ${again.rowsWritten} rows written`,
        );
        const changes = await changeOnePercent(small, b3Shape);
        const changed = await runSyncChild(childInput(db, small));
        log(`B3 ${backend} run ${run + 1}: ${changes} changes, re-sync ${round(changed.wallMs / 1000)} s`);
        pushSync(b3, 'initial_sync', initial);
        push(b3, 'initial_rows_per_s', initial.rowsWritten / (initial.wallMs / 1000));
        push(b3, 'initial_audit_events', initial.auditEvents);
        pushPhases(b3, 'initial', initial);
        push(b3, 'copy_s', copy.ms / 1000);
        push(b3, 'copy_rows', copy.rows);
        push(b3, 'initial_over_copy', initial.wallMs / copy.ms);
        const limitMs = base.fetch.wallMs + copy.ms;
        push(b3, 'fetch_s', base.fetch.wallMs / 1000);
        push(b3, 'fetch_peak_rss_mb', base.fetch.peakRssMb);
        push(b3, 'limit_s', limitMs / 1000);
        push(b3, 'naive_s', base.naive!.wallMs / 1000);
        push(b3, 'naive_peak_rss_mb', base.naive!.peakRssMb);
        push(b3, 'naive_over_limit', base.naive!.wallMs / limitMs);
        push(b3, 'initial_over_limit', initial.wallMs / limitMs);
        push(b3, 'initial_over_naive', initial.wallMs / base.naive!.wallMs);
        pushUser(b3, 'user_sync', user.first);
        pushUser(b3, 'user_nochange', user.second!);
        push(b3, 'user_sync_over_limit', user.first.wallMs / limitMs);
        push(b3, 'user_nochange_over_fetch', user.second!.wallMs / base.fetch.wallMs);
        pushSync(b3, 'nochange_sync', again);
        pushPhases(b3, 'nochange', again);
        push(b3, 'nochange_over_initial', again.wallMs / initial.wallMs);
        push(b3, 'nochange_over_fetch', again.wallMs / base.fetch.wallMs);
        push(b3, 'changes_made', changes);
        pushSync(b3, 'change_sync', changed);
        push(b3, 'change_over_initial', changed.wallMs / initial.wallMs);
        push(b3, 'change_over_fetch', changed.wallMs / base.fetch.wallMs);
        for (const k of ['created', 'updated', 'archived'] as const)
          push(b3, `change_sync_${k}`, changed.counts.total[k]);

        if (large && run < (options.b4Runs ?? runs)) {
          const base4 = await baselines(backend, large, false);
          const user4 = await userSyncs(backend, large, false);
          log(
            `B4 ${backend} run ${run + 1}: fetch only ${round(base4.fetch.wallMs / 1000)} s, npm run sync ${round(user4.first.wallMs / 1000)} s (${round(user4.first.syncRssMb)} MB)`,
          );
          pushUser(b4, 'user_sync', user4.first);
          const db4 = await emptyDatabase(backend);
          try {
            const { sync: big, copy: bigCopy } = await initialSyncAgainstCopy(backend, large, db4);
            log(
              `B4 ${backend} run ${run + 1}: initial ${round(big.wallMs / 1000)} s, COPY ${round(bigCopy.ms / 1000)} s`,
            );
            pushSync(b4, 'initial_sync', big);
            push(b4, 'initial_rows_per_s', big.rowsWritten / (big.wallMs / 1000));
            pushPhases(b4, 'initial', big);
            push(b4, 'copy_s', bigCopy.ms / 1000);
            push(b4, 'initial_over_copy', big.wallMs / bigCopy.ms);
            push(b4, 'fetch_s', base4.fetch.wallMs / 1000);
            push(b4, 'limit_s', (base4.fetch.wallMs + bigCopy.ms) / 1000);
            push(b4, 'initial_over_limit', big.wallMs / (base4.fetch.wallMs + bigCopy.ms));
            // Growth from B3 to B4, paired within this run.
            push(b4, 'time_growth', big.wallMs / initial.wallMs);
            push(b4, 'rss_growth_pct', (100 * (big.peakRssMb - initial.peakRssMb)) / initial.peakRssMb);
          } finally {
            await db4.drop();
          }
          await control(large, 'reset', {});
        }
      } finally {
        await db.drop();
      }
      await control(small, 'reset', {});
    }
  } finally {
    await small.close();
    await large?.close();
  }
  const describe = (s: DistrictShape) =>
    `${s.students / 1000}k students, ${s.teachers / 1000}k teachers, ${s.sections / 1000}k sections, ${(s.sections * s.studentsPerSection) / 1000}k enrollments`;
  const scenarios: NotedScenario[] = [
    {
      name: `B3 full sync (${describe(b3Shape)})`,
      backend,
      figures: { ...medians(b3), runs },
      notes: [`COPY limit: ${copyMethod}.`],
    },
  ];
  if (large) {
    scenarios.push({
      name: `B4 full sync at scale (${describe(b4Shape)})`,
      backend,
      figures: { ...medians(b4), runs: Math.min(runs, options.b4Runs ?? runs) },
    });
  }
  return scenarios;
}
