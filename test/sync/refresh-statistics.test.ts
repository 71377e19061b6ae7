// A full sync that loads a large share of a table gives the planner statistics for the columns the next
// sync looks rows up by (the embedded database never analyzes tables by itself; a server's autovacuum only
// gets to it later); a sync that changes little leaves the statistics to autovacuum.
import { emptyRunCounts } from '../../src/sync/plan/counts';
import { tablesToRefresh } from '../../src/sync/write/refresh-statistics';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { startSyncTestApp, syncDistrict } from './helpers';

describe('which tables a full sync analyzes', () => {
  it('those whose rows the run wrote more than 50 + 10% of, with the columns rows are found by', () => {
    const counts = emptyRunCounts();
    counts.user.created = 5_000;
    counts.school_membership.unchanged = 9_000;
    counts.school_membership.updated = 40;
    counts.section.unchanged = 900;
    counts.section.archived = 200;
    const tables = tablesToRefresh(counts);
    expect([...tables.keys()].sort()).toEqual(['Section', 'SyncDigest', 'User']);
    expect(tables.get('User')).toEqual(expect.arrayContaining(['cleverId', 'districtId']));
    expect(tables.get('SyncDigest')).toEqual(['recordId']);
  });

  it('none after a sync that changed little', () => {
    const counts = emptyRunCounts();
    counts.user.unchanged = 50_000;
    counts.user.updated = 500;
    counts.section_membership.created = 30;
    expect(tablesToRefresh(counts).size).toBe(0);
  });
});

describe(`planner statistics after a district's first full sync on ${backend}`, () => {
  let app: TestApp;
  afterAll(async () => {
    await app?.close();
  });

  it('exist for the columns users and memberships are looked up by', async () => {
    app = await startSyncTestApp();
    const stats = async () =>
      (
        await app.db.pool.query(
          `SELECT tablename || '.' || attname AS col FROM pg_stats
            WHERE schemaname = current_schema() AND tablename IN ('User', 'SectionMembership')`,
        )
      ).rows.map((r) => String(r.col));
    expect(await stats()).toEqual([]);
    expect((await syncDistrict(app)).status).toBe('succeeded');
    expect(await stats()).toEqual(
      expect.arrayContaining(['User.cleverId', 'User.districtId', 'SectionMembership.sectionId']),
    );
  });
});
