// `npm run bench`: every scenario on the embedded database and, when DATABASE_URL is set, on PostgreSQL.
// Writes docs/benchmarks.json and docs/benchmarks.md. Not part of `npm test`.
import fs from 'node:fs';
import prettier from 'prettier';
import { fromRoot } from '../src/paths';
import { backends, machine } from './harness';
import { benchConcurrentLogins, benchLogin, type Scenario } from './login';
import { evaluateTargets, renderMarkdown } from './report';
import { benchSync } from './sync';

/** The page as `npm run lint` (prettier) wants it. */
async function writeMarkdown(report: Parameters<typeof renderMarkdown>[0]): Promise<void> {
  const file = fromRoot('docs', 'benchmarks.md');
  const options = (await prettier.resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await prettier.format(renderMarkdown(report), { ...options, filepath: file }));
}

/** `npm run bench -- --report-only`: re-renders docs/benchmarks.md from docs/benchmarks.json (after editing report.ts). */
async function renderOnly(): Promise<void> {
  const saved = JSON.parse(fs.readFileSync(fromRoot('docs', 'benchmarks.json'), 'utf8'));
  const report = { ...saved, targets: evaluateTargets(saved.scenarios) };
  fs.writeFileSync(fromRoot('docs', 'benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeMarkdown(report);
}

/** Scenarios of the saved report that this run did not measure (matched by name prefix and backend). */
function keptScenarios(measured: Scenario[]): Scenario[] {
  const file = fromRoot('docs', 'benchmarks.json');
  if (!fs.existsSync(file)) return [];
  const saved = (JSON.parse(fs.readFileSync(file, 'utf8')) as { scenarios: Scenario[] }).scenarios;
  const id = (s: Scenario) => `${s.name.slice(0, 2)} ${s.backend}`;
  const fresh = new Set(measured.map(id));
  return saved.filter((s) => !fresh.has(id(s)));
}

async function main(): Promise<void> {
  if (process.argv.includes('--report-only')) return renderOnly();
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const want = (name: string) =>
    only.length === 0 || only.some((o) => name.toLowerCase().startsWith(o.toLowerCase()));
  const scenarios: Scenario[] = [];
  for (const backend of backends()) {
    if (want('b1')) scenarios.push(...(await benchLogin(backend)));
    if (want('b2')) scenarios.push(...(await benchConcurrentLogins(backend)));
    // B4 is paired with B3 run by run (growth from 50k to 200k students is a ratio inside one run).
    if (want('b3') || want('b4')) {
      const runs = Number(process.env.BENCH_SYNC_RUNS ?? 3);
      // A 200k-student sync on PGlite takes minutes: one paired run keeps `npm run bench` near 30 minutes.
      const b4Runs = Number(process.env.BENCH_B4_RUNS ?? (backend === 'pglite' ? 1 : runs));
      scenarios.push(...(await benchSync(backend, { runs, b4Runs, withB4: want('b4'), log: console.log })));
    }
    console.log(`done: ${backend}`);
  }
  // A subset (`npm run bench -- b3`) replaces those scenarios and keeps the others from the last full report.
  const kept = only.length > 0 ? keptScenarios(scenarios) : [];
  const all = [...kept, ...scenarios].sort(
    (a, b) => a.backend.localeCompare(b.backend) || a.name.localeCompare(b.name),
  );
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    scenarios: all,
    targets: evaluateTargets(all),
  };
  fs.writeFileSync(fromRoot('docs', 'benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeMarkdown(report);
  for (const t of report.targets)
    console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.value} (limit ${t.limit})`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
