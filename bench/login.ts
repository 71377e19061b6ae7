// B1 (cost of one login) and B2 (50 concurrent first logins) against the sandbox over loopback.
import { PERSONAS } from '../src/sandbox/sandbox-api';
import { signInAs, startTestApp, type TestApp } from '../test/helpers/app';
import { createTeacherWithSections } from '../test/helpers/roster';
import { freshDatabase, median, percentile, round, timed, type Backend } from './harness';

export interface Scenario {
  name: string;
  backend: Backend;
  figures: Record<string, number>;
}

async function measureLogin(app: TestApp, cleverId: string) {
  app.sandbox.store.resetStats();
  const sql = app.db.statements.count;
  const { ms, value } = await timed(() => signInAs(app, app.agent(), cleverId));
  if (value.status !== 303) throw new Error(`login answered ${value.status}`);
  // OAuth host requests (authorize + token exchange) are the same for every login; count Data API calls.
  const stats = app.sandbox.store.stats();
  const oauth = Object.entries(stats.byEndpoint)
    .filter(([p]) => p.startsWith('/oauth'))
    .reduce((n, [, c]) => n + c, 0);
  return { ms, api: stats.total - oauth, sql: app.db.statements.count - sql };
}

export async function benchLogin(backend: Backend, runs = 5): Promise<Scenario[]> {
  const db = await freshDatabase(backend);
  const app = await startTestApp({ db });
  try {
    await signInAs(app, app.agent(), PERSONAS.districtAdmin); // warm the district-token cache
    await signInAs(app, app.agent(), PERSONAS.teacher); // the measured teachers' school exists for every run
    const rows: Record<string, number[]> = {};
    const push = (k: string, v: number) => (rows[k] ??= []).push(v);
    for (let run = 0; run < runs; run++) {
      const big = createTeacherWithSections(app.sandbox.store, `big${run}`, 8, 35);
      const small = createTeacherWithSections(app.sandbox.store, `small${run}`, 2, 5);
      const first = await measureLogin(app, big);
      const repeat = await measureLogin(app, big);
      const smallFirst = await measureLogin(app, small);
      push('first_login_ms', first.ms);
      push('first_login_clever_calls', first.api);
      push('first_login_sql_statements', first.sql);
      push('repeat_login_ms', repeat.ms);
      push('repeat_login_clever_calls', repeat.api);
      push('repeat_login_sql_statements', repeat.sql);
      push('small_first_login_clever_calls', smallFirst.api);
      push('small_first_login_sql_statements', smallFirst.sql);
    }
    const big = createTeacherWithSections(app.sandbox.store, 'idem', 8, 35);
    await measureLogin(app, big);
    const after = new Date();
    await measureLogin(app, big);
    const written = await countRowsWrittenSince(app, after);
    const figures: Record<string, number> = Object.fromEntries(
      Object.entries(rows).map(([k, v]) => [k, round(median(v))]),
    );
    figures.repeat_login_roster_rows_written = written;
    return [{ name: 'B1 login (teacher, 8 sections × 35 students)', backend, figures }];
  } finally {
    await app.close();
    await db.close();
  }
}

async function countRowsWrittenSince(app: TestApp, since: Date): Promise<number> {
  const p = app.db.prisma;
  const where = { updatedAt: { gte: since } };
  const counts = await Promise.all([
    p.school.count({ where }),
    p.section.count({ where }),
    p.term.count({ where }),
    p.course.count({ where }),
    p.user.count({ where }),
    p.sectionMembership.count({ where }),
    p.schoolMembership.count({ where }),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

export async function benchConcurrentLogins(backend: Backend, users = 50, runs = 3): Promise<Scenario[]> {
  const db = await freshDatabase(backend);
  const app = await startTestApp({ db });
  try {
    await signInAs(app, app.agent(), PERSONAS.districtAdmin);
    const store = app.sandbox.store;
    const school = store.getUser(PERSONAS.teacher)!.roles.teacher!.school!;
    const results: Record<string, number[]> = {
      throughput_logins_per_s: [],
      p50_ms: [],
      p95_ms: [],
      errors: [],
    };
    for (let run = 0; run < runs; run++) {
      const ids = Array.from(
        { length: users },
        (_, i) =>
          store.createUser({
            district: PERSONAS.districtId,
            role: 'student',
            name: { first: `c${run}`, last: `U${i}` },
            school,
          }).user.id,
      );
      store.createSection({
        school,
        name: `concurrent ${run} A`,
        teacher: PERSONAS.teacher,
        students: ids.slice(0, users / 2),
      });
      store.createSection({
        school,
        name: `concurrent ${run} B`,
        teacher: PERSONAS.teacher,
        students: ids.slice(users / 2),
      });
      const latencies: number[] = [];
      let errors = 0;
      const { ms } = await timed(() =>
        Promise.all(
          ids.map(async (id) => {
            try {
              const { ms: one, value } = await timed(() => signInAs(app, app.agent(), id));
              if (value.status !== 303) errors++;
              latencies.push(one);
            } catch {
              errors++;
            }
          }),
        ),
      );
      results.throughput_logins_per_s.push(users / (ms / 1000));
      results.p50_ms.push(percentile(latencies, 50));
      results.p95_ms.push(percentile(latencies, 95));
      results.errors.push(errors);
    }
    const figures = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(median(v))]));
    figures.errors = Math.max(...results.errors);
    figures.p95_over_p50 = round(figures.p95_ms / figures.p50_ms, 2);
    return [{ name: `B2 ${users} concurrent first logins`, backend, figures }];
  } finally {
    await app.close();
    await db.close();
  }
}
