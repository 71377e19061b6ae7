// Data retention (security-checklist.md §5.1, docs/retention.md): archived records go after RETENTION_DAYS —
// never within Clever's 300-day window, never Progress or AuditEvent, never a row something kept refers to —
// and nothing goes at all while RETENTION_DAYS is unset.
import { RETENTION_QUEUE, runRetention, startRetentionJob } from '../../src/jobs/retention';
import { purgeArchived } from '../../src/retention/purge-archived';
import { createLocalGroup } from '../../src/groups/create-local-group';
import { startSyncTestApp, syncDistrict } from '../sync/helpers';
import type { TestApp } from '../helpers/app';
import { PERSONAS, signInAs, userIdOf } from './helpers';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

describe('purging archived records', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp({ env: { RETENTION_DAYS: '30' } });
    expect((await syncDistrict(app)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Archives a user and every membership of theirs, `days` ago (as a sync would have). */
  const archiveUser = async (cleverId: string, days: number) => {
    const id = await userIdOf(app, cleverId);
    const at = daysAgo(days);
    await app.db.prisma.user.update({ where: { id }, data: { archivedAt: at, archiveReason: 'unshared' } });
    await app.db.prisma.sectionMembership.updateMany({ where: { userId: id }, data: { archivedAt: at } });
    await app.db.prisma.schoolMembership.updateMany({ where: { userId: id }, data: { archivedAt: at } });
    return id;
  };
  const exists = async (id: string) => (await app.db.prisma.user.findUnique({ where: { id } })) !== null;

  it('keeps everything while RETENTION_DAYS is unset', async () => {
    const id = await archiveUser(PERSONAS.studentSparse, 2000);
    const result = await purgeArchived(app.db, { retentionDays: null });
    expect(result.cutoff).toBeNull();
    expect(Object.values(result.purged).every((n) => n === 0)).toBe(true);
    expect(await exists(id)).toBe(true);
  });

  it('purges what was archived more than 300 days ago, even when RETENTION_DAYS says 30, and keeps the rest', async () => {
    const gone = await archiveUser(PERSONAS.studentNoEmail, 301);
    const recent = await archiveUser(PERSONAS.studentEmptyEmail, 299);
    // A student with progress: their history stays, so their account does too (memberships may go).
    const withProgress = await archiveUser(PERSONAS.studentNonAscii, 1000);
    await app.db.prisma.progress.create({ data: { userId: withProgress, activity: 'quiz', score: 1 } });
    // The same user still signed in somewhere (a session that outlived the archive).
    const stale = app.agent();
    await signInAs(app, stale, PERSONAS.studentCjk);
    const staleId = await archiveUser(PERSONAS.studentCjk, 400);
    const auditBefore = await app.db.prisma.auditEvent.count();

    const { cutoff, purged } = await runRetention({
      db: app.db,
      logger: app.services.sync.logger,
      retentionDays: app.config.retentionDays,
    });
    expect(cutoff!.getTime()).toBeLessThanOrEqual(daysAgo(300).getTime() + 1000);
    expect(purged.user).toBeGreaterThanOrEqual(2);
    expect(await exists(gone)).toBe(false);
    expect(await exists(staleId)).toBe(false);
    expect(await exists(recent)).toBe(true);
    expect(await app.db.prisma.sectionMembership.count({ where: { userId: recent } })).toBeGreaterThan(0);
    expect(await exists(withProgress)).toBe(true);
    expect(await app.db.prisma.progress.count({ where: { userId: withProgress } })).toBe(1);
    expect(await app.db.prisma.sectionMembership.count({ where: { userId: withProgress } })).toBe(0);
    // Sessions of a purged account are gone; history (AuditEvent) only grows, saying what was purged.
    const sessions = await app.db.pool.query(`SELECT 1 FROM "session" WHERE sess->'passport'->>'user' = $1`, [
      staleId,
    ]);
    expect(sessions.rowCount).toBe(0);
    await stale.get('/api/me').expect(401);
    expect(await app.db.prisma.auditEvent.count()).toBeGreaterThan(auditBefore);
    expect(
      await app.db.prisma.auditEvent.findFirst({
        where: { recordId: gone, action: 'purged', source: 'retention' },
      }),
    ).toMatchObject({ cleverId: PERSONAS.studentNoEmail });
  });

  it('keeps a section a teacher made a group from, the term it is in, and the school, while referenced', async () => {
    const teacherId = await userIdOf(app, PERSONAS.teacher);
    const [grouped, plain] = await app.db.prisma.section.findMany({
      where: { memberships: { some: { userId: teacherId } } },
      take: 2,
      orderBy: { id: 'asc' },
    });
    await createLocalGroup(app.db.prisma, {
      ownerId: teacherId,
      sectionId: grouped!.id,
      name: 'Readers',
      memberIds: [],
    });
    const old = daysAgo(500);
    for (const section of [grouped!, plain!]) {
      await app.db.prisma.section.update({ where: { id: section.id }, data: { archivedAt: old } });
      await app.db.prisma.sectionMembership.updateMany({
        where: { sectionId: section.id },
        data: { archivedAt: old },
      });
    }
    await app.db.prisma.term.update({ where: { id: plain!.termId! }, data: { archivedAt: old } });
    await app.db.prisma.school.update({ where: { id: plain!.schoolId! }, data: { archivedAt: old } });

    const { purged } = await purgeArchived(app.db, { retentionDays: 30 });
    expect(purged.section).toBeGreaterThanOrEqual(1);
    expect(await app.db.prisma.section.findUnique({ where: { id: plain!.id } })).toBeNull();
    expect(await app.db.prisma.section.findUnique({ where: { id: grouped!.id } })).not.toBeNull();
    // Still used by other sections: kept, archived.
    expect(await app.db.prisma.school.findUnique({ where: { id: plain!.schoolId! } })).toMatchObject({
      archivedAt: old,
    });
    const termStillUsed = await app.db.prisma.section.count({ where: { termId: plain!.termId! } });
    expect((await app.db.prisma.term.findUnique({ where: { id: plain!.termId! } })) !== null).toBe(
      termStillUsed > 0,
    );
  });

  it('honours a RETENTION_DAYS longer than 300 days', async () => {
    const id = await archiveUser(PERSONAS.studentApostrophe, 400);
    await purgeArchived(app.db, { retentionDays: 500 });
    expect(await exists(id)).toBe(true);
    await purgeArchived(app.db, { retentionDays: 399 });
    expect(await exists(id)).toBe(false);
  });

  it('registers a daily purge on the job queue that runs through the workers', async () => {
    const id = await archiveUser(PERSONAS.studentLongSisId, 365);
    const boss = await app.services.jobs.start();
    await boss.createQueue(RETENTION_QUEUE, { name: RETENTION_QUEUE, policy: 'singleton' });
    await boss.send(RETENTION_QUEUE, {});
    await startRetentionJob({
      jobs: app.services.jobs,
      db: app.db,
      logger: app.services.sync.logger,
      retentionDays: 30,
      timezone: 'UTC',
    });
    const schedules = await app.db.pool.query(`SELECT name, cron FROM pgboss.schedule WHERE name = $1`, [
      RETENTION_QUEUE,
    ]);
    expect(schedules.rows).toEqual([{ name: RETENTION_QUEUE, cron: '30 4 * * *' }]);
    for (let i = 0; i < 50 && (await exists(id)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await exists(id)).toBe(false);
  });
});
