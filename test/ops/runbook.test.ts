// The runbook's commands are real: scripts/restore-archived.sql (docs/operations.md) brings back what a sync
// archived, from the audit trail — run with psql on PostgreSQL, and checked on the embedded database too.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { PERSONAS, startSyncTestApp, syncDistrict } from '../sync/helpers';

const SCRIPT = path.resolve(__dirname, '../../scripts/restore-archived.sql');

describe(`restoring a district's records from the audit trail, on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
    expect((await syncDistrict(app)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await app.close();
  });

  it('restores what was archived since a time, as the same rows, and audits each restore', async () => {
    app.sandbox.store.unshare('user', PERSONAS.studentNoSections);
    expect((await syncDistrict(app)).status).toBe('succeeded');
    const since = (await app.db.pool.query(`SELECT now()::text AS t`)).rows[0].t as string;

    app.sandbox.store.unshare('user', PERSONAS.teacher);
    const bad = await syncDistrict(app);
    expect(bad.status).toBe('succeeded');
    expect(bad.counts.user.archived).toBe(1);
    expect(bad.counts.section_membership.archived).toBeGreaterThan(0);
    const teacher = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.teacher } });
    expect(teacher.archivedAt).not.toBeNull();

    const output = await runScript({ district: PERSONAS.districtId, since, run: '' });
    expect(output).toMatch(/section_membership\s*\|\s*\d+/);

    const after = await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.teacher } });
    expect(after).toMatchObject({ id: teacher.id, archivedAt: null, archiveReason: null });
    expect(
      await app.db.prisma.sectionMembership.count({
        where: { userId: teacher.id, archivedAt: { not: null } },
      }),
    ).toBe(0);
    const restored = await app.db.prisma.auditEvent.groupBy({
      by: ['recordType'],
      where: { action: 'restored', source: 'admin' },
      _count: true,
    });
    const archivedByBadRun = await app.db.prisma.auditEvent.groupBy({
      by: ['recordType'],
      where: { action: 'archived', syncRunId: bad.runId },
      _count: true,
    });
    expect(restored).toEqual(expect.arrayContaining(archivedByBadRun));
    expect(restored).toHaveLength(archivedByBadRun.length);
    // Archived before `since`: left alone.
    const earlier = await app.db.prisma.user.findUniqueOrThrow({
      where: { cleverId: PERSONAS.studentNoSections },
    });
    expect(earlier.archivedAt).not.toBeNull();
  });

  it('restores only what one run archived when given the run, and by Clever district id or local id', async () => {
    app.sandbox.store.reshare('user', PERSONAS.teacher);
    app.sandbox.store.unshare('user', PERSONAS.studentTwoSchools);
    const run = await syncDistrict(app);
    expect(run.counts.user.archived).toBe(1);
    const local = await app.db.prisma.district.findUniqueOrThrow({
      where: { cleverId: PERSONAS.districtId },
    });

    await runScript({ district: local.id, since: '2000-01-01 00:00:00+00', run: run.runId });

    const student = await app.db.prisma.user.findUniqueOrThrow({
      where: { cleverId: PERSONAS.studentTwoSchools },
    });
    expect(student.archivedAt).toBeNull();
    const other = await app.db.prisma.user.findUniqueOrThrow({
      where: { cleverId: PERSONAS.studentNoSections },
    });
    expect(other.archivedAt).not.toBeNull();
  });

  /** psql on PostgreSQL, exactly as the runbook says; on PGlite the same file with psql's variables filled in. */
  async function runScript(vars: Record<string, string>): Promise<string> {
    if (app.db.url) {
      const psql = findPsql();
      const args = [
        app.db.url,
        '-X',
        '-f',
        SCRIPT,
        ...Object.entries(vars).flatMap(([k, v]) => ['-v', `${k}=${v}`]),
      ];
      const { stdout } = await promisify(execFile)(psql, args);
      return stdout;
    }
    const sql = fs
      .readFileSync(SCRIPT, 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('\\'))
      .join('\n')
      .replace(/:'(\w+)'/g, (_m, name: string) => `'${vars[name].replace(/'/g, "''")}'`);
    const results = await app.db.pool.query(sql);
    const rows = (Array.isArray(results) ? results : [results]).flatMap((r) => r.rows ?? []);
    return rows.map((r) => `${r['record type']} | ${r.restored}`).join('\n');
  }
});

function findPsql(): string {
  const dirs = (process.env.PATH ?? '').split(':');
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    for (const v of fs.readdirSync(base).sort().reverse()) dirs.push(path.join(base, v, 'bin'));
  }
  const found = dirs.map((d) => path.join(d, 'psql')).find((p) => fs.existsSync(p));
  if (!found) throw new Error('psql not found: install the PostgreSQL client to test the runbook');
  return found;
}
