// Helpers for the district sync tests: the real app wiring, the sandbox over loopback, a real database.
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { syncNow, type RunResult, type SyncNowProps } from '../../src/sync/sync-api';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/app';

export { PERSONAS };

/** Small pages, so that every collection spans several pages (faults on "page 2" hit something). */
export function startSyncTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({ ...options, env: { SYNC_PAGE_SIZE: '20', ...options.env } });
}

/** Runs a full sync of Sandbox ISD (or `props`) the way `npm run sync` does, and returns its result. */
export async function syncDistrict(app: TestApp, props: SyncNowProps = {}): Promise<RunResult> {
  const [result] = await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId, ...props });
  if (!result) throw new Error('no run');
  return result;
}

export async function districtIdOf(app: TestApp, cleverId = PERSONAS.districtId): Promise<string> {
  return (await app.db.prisma.district.findUniqueOrThrow({ where: { cleverId } })).id;
}

/** Sets the district's own mass-change threshold (the per-district override). */
export async function setThreshold(app: TestApp, value: number | null): Promise<void> {
  await app.db.prisma.district.update({
    where: { cleverId: PERSONAS.districtId },
    data: { massChangeThreshold: value },
  });
}

/** Row counts and the latest updatedAt of every synced table: equal snapshots mean nothing was written. */
export async function rosterSnapshot(app: TestApp): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [
    'District',
    'School',
    'Term',
    'Course',
    'Section',
    'User',
    'SchoolMembership',
    'SectionMembership',
    'AuditEvent',
    'MatchReview',
  ]) {
    const hasUpdated = table !== 'AuditEvent' && table !== 'MatchReview';
    const rows = await app.db.pool.query(
      `SELECT count(*)::int AS n${hasUpdated ? `, max("updatedAt")::text AS last, count(*) FILTER (WHERE "archivedAt" IS NULL)::int AS active` : ''} FROM "${table}"`,
    );
    out[table] = JSON.stringify(rows.rows[0]);
  }
  return out;
}

export async function isArchived(
  app: TestApp,
  model: 'user' | 'section' | 'term' | 'course' | 'school',
  cleverId: string,
): Promise<boolean> {
  const row = await (
    app.db.prisma[model] as unknown as {
      findUniqueOrThrow(args: unknown): Promise<{ archivedAt: Date | null }>;
    }
  ).findUniqueOrThrow({ where: { cleverId } });
  return row.archivedAt !== null;
}
