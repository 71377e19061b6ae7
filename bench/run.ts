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
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    scenarios,
    targets: evaluateTargets(scenarios),
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
