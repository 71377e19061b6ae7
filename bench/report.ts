// Targets from issue #8, evaluated on the measured figures, and the Markdown report.
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
    'npm run bench -- b1                # one scenario',
    '```',
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
  }
  return `${lines.join('\n')}\n`;
}
