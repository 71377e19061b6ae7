// `npm run bench`: every scenario on the embedded database and, when DATABASE_URL is set, on PostgreSQL.
// Writes docs/benchmarks.json and docs/benchmarks.md. Not part of `npm test`.
import fs from 'node:fs';
import { fromRoot } from '../src/paths';
import { backends, machine } from './harness';
import { benchConcurrentLogins, benchLogin, type Scenario } from './login';
import { evaluateTargets, renderMarkdown } from './report';

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const want = (name: string) =>
    only.length === 0 || only.some((o) => name.toLowerCase().startsWith(o.toLowerCase()));
  const scenarios: Scenario[] = [];
  for (const backend of backends()) {
    if (want('b1')) scenarios.push(...(await benchLogin(backend)));
    if (want('b2')) scenarios.push(...(await benchConcurrentLogins(backend)));
    console.log(`done: ${backend}`);
  }
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    scenarios,
    targets: evaluateTargets(scenarios),
  };
  fs.writeFileSync(fromRoot('docs', 'benchmarks.json'), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(fromRoot('docs', 'benchmarks.md'), renderMarkdown(report));
  for (const t of report.targets)
    console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.value} (limit ${t.limit})`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
