// The sync page tells a district admin how fresh the district is between daily full syncs: the events
// schedule, the last events run, the last full sync, how far behind Clever's events it may be, and which
// runs in the chart were events runs.
import type supertest from 'supertest';
import { syncNow } from '../../src/sync/sync-api';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { PERSONAS, signedIn, startSyncedApp } from './helpers';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe(`the sync page's freshness (${backend})`, () => {
  let app: TestApp;
  let admin: supertest.Agent;
  beforeAll(async () => {
    app = await startSyncedApp({ env: { SYNC_EVENTS_INTERVAL_MINUTES: '15' } });
    admin = await signedIn(app, PERSONAS.districtAdmin);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the schedule and the last full sync before any events run', async () => {
    const page = text((await admin.get('/admin/sync').expect(200)).text);
    expect(page).toContain('Events sync Every 15 minutes, between daily full syncs');
    expect(page).toMatch(/Last events run none yet/);
    expect(page).toMatch(/Last full sync \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(page).toMatch(/Behind Clever's newest event by At most (less than a minute|\d+ minutes?)/);
  });

  it('shows the last events run, what it read, the newest event applied, and marks it in the chart', async () => {
    app.sandbox.store.rename('section', PERSONAS.coTaughtSection, 'Fresh from Clever');
    const [result] = await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId, events: true });
    expect(result!.status).toBe('succeeded');
    const html = (await admin.get('/admin/sync').expect(200)).text;
    const page = text(html);
    expect(page).toMatch(/Last events run \d{4}-\d\d-\d\d \d\d:\d\d UTC — Succeeded , 1 event read/);
    expect(page).toMatch(/Newest event applied created by Clever at \d{4}-\d\d-\d\d/);
    expect(html).toContain(`href="/admin/sync/runs/${result!.runId}"`);
    expect(html.match(/<g class="run" data-kind="events">/g)).toHaveLength(1);
    expect(html).toMatch(/\(events run\) — succeeded: 0 created, 1 updated/);
  });

  it('says how long ago it last caught up, and warns when that is long past the interval', async () => {
    await app.db.pool.query(
      `UPDATE "SyncRun" SET "finishedAt" = "finishedAt" - interval '3 hours', "createdAt" = "createdAt" - interval '3 hours'`,
    );
    const page = (await admin.get('/admin/sync').expect(200)).text;
    expect(text(page)).toMatch(/At most 3 hours: we had every event Clever had at/);
    expect(page).toMatch(/class="tone-warn">At most 3 hours/);
  });

  it('shows a skipped events run and why', async () => {
    const districtId = (
      await app.db.prisma.district.findUniqueOrThrow({ where: { cleverId: PERSONAS.districtId } })
    ).id;
    await app.db.prisma.syncRun.create({
      data: {
        districtId,
        kind: 'events',
        trigger: 'schedule',
        status: 'skipped',
        error: 'Skipped: another sync of this district was running; it brings the district up to date.',
        finishedAt: new Date(),
      },
    });
    const page = text((await admin.get('/admin/sync').expect(200)).text);
    expect(page).toMatch(/Last events run [^—]+— Skipped Skipped: another sync of this district was running/);
  });
});
