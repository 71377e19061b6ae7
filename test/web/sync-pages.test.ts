// The sync health page: in step with Clever or not, the last runs as a chart and a table, a held run's
// would-be changes with Approve / Discard, and "Sync now" / "Preview" through the job queue.
import type supertest from 'supertest';
import { startWorkers } from '../../src/jobs/workers';
import { getRun, syncNow } from '../../src/sync/sync-api';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { csrfOf, PERSONAS, signedIn, startSyncedApp } from './helpers';

async function waitForRun(app: TestApp, runId: string) {
  for (let i = 0; i < 150; i++) {
    const run = await getRun(app.services, { runId });
    if (!['queued', 'running'].includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} did not finish`);
}

const activeStudents = (app: TestApp) =>
  app.db.prisma.user.count({
    where: { archivedAt: null, roles: { has: 'student' }, district: { cleverId: PERSONAS.districtId } },
  });

describe(`the sync health pages (${backend})`, () => {
  let app: TestApp;
  let admin: supertest.Agent;
  let token: string;
  beforeAll(async () => {
    app = await startSyncedApp();
    await startWorkers(app.services);
    admin = await signedIn(app, PERSONAS.districtAdmin);
    token = await csrfOf(admin, '/admin/sync');
  });
  afterAll(async () => {
    await app?.close();
  });

  it("tells whether our last successful sync is newer than Clever's last_sync", async () => {
    const page = await admin.get('/admin/sync').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('In step');
    await app.db.prisma.district.update({
      where: { cleverId: PERSONAS.districtId },
      data: { cleverLastSync: new Date(Date.now() + 60_000) },
    });
    expect((await admin.get('/admin/sync').expect(200)).text).toContain(
      'Clever has changes newer than our last successful sync',
    );
  });

  it('draws one labelled bar per run and lists the same numbers in a table', async () => {
    await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
    const runs = await app.db.prisma.syncRun.count({
      where: { district: { cleverId: PERSONAS.districtId } },
    });
    const page = (await admin.get('/admin/sync').expect(200)).text;
    expect(page.match(/<g class="run" data-kind="full">/g)).toHaveLength(runs);
    expect(page).toMatch(
      /<title>[^<]+ — succeeded: \d+ created, \d+ updated, \d+ archived, \d+ restored<\/title>/,
    );
    expect(page).not.toMatch(/style=/);
    expect(page.match(/<tr>\s*<td><a href="\/admin\/sync\/runs\//g)).toHaveLength(runs);
  });

  it('queues a preview that changes nothing, and shows what it would do', async () => {
    app.sandbox.store.unshare('user', PERSONAS.studentNonAscii);
    const res = await admin
      .post('/admin/sync')
      .type('form')
      .send({ _csrf: token, mode: 'preview' })
      .expect(303);
    const runId = res.headers.location.split('/').pop()!;
    const run = await waitForRun(app, runId);
    expect(run.isDryRun).toBe(true);
    const page = (await admin.get(res.headers.location).expect(200)).text;
    expect(page).toContain('José Núñez');
    // The worker's log lines for this run carry the id of the admin's request (X-Request-Id).
    const workerLines = app.logs
      .map((line) => JSON.parse(line))
      .filter((line) => line.runId === runId && line.msg === 'sync job started');
    expect(workerLines).toEqual([expect.objectContaining({ reqId: res.headers['x-request-id'] })]);
    expect(
      (await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId: PERSONAS.studentNonAscii } }))
        .archivedAt,
    ).toBeNull();
    app.sandbox.store.reshare('user', PERSONAS.studentNonAscii);
  });

  it('holds a run that would archive most students; Discard archives nothing, Approve archives its plan', async () => {
    const before = await activeStudents(app);
    app.sandbox.store.shrink(PERSONAS.districtId, 0.6);
    const start = async () => {
      const res = await admin
        .post('/admin/sync')
        .type('form')
        .send({ _csrf: token, mode: 'sync' })
        .expect(303);
      const run = await waitForRun(app, res.headers.location.split('/').pop()!);
      expect(run.status).toBe('held');
      return run.id;
    };
    const first = await start();
    const page = (await admin.get('/admin/sync').expect(200)).text;
    expect(page).toContain('A sync is held for your review');
    expect(page).toContain(`/admin/sync/runs/${first}/approve`);
    await admin.post(`/admin/sync/runs/${first}/discard`).type('form').send({ _csrf: token }).expect(303);
    expect(await activeStudents(app)).toBe(before);
    expect((await admin.get('/admin/sync').expect(200)).text).not.toContain('A sync is held');

    const second = await start();
    await admin.post(`/admin/sync/runs/${second}/approve`).type('form').send({ _csrf: token }).expect(303);
    expect(await activeStudents(app)).toBeLessThan(before * 0.6);
    const again = await admin
      .post(`/admin/sync/runs/${second}/approve`)
      .type('form')
      .send({ _csrf: token })
      .set('Accept', 'text/html');
    expect(again.status).toBe(409);
  });

  it('shows no plan for a run that failed before reading everything (what it planned meanwhile is never applied)', async () => {
    app.sandbox.store.addFault({ path: '/terms', kind: '5xx', status: 501, times: 1 });
    const [failed] = await syncNow(app.services, { cleverDistrictId: PERSONAS.districtId });
    expect(failed!.status).toBe('failed');
    // As a section page would have planned a membership it no longer lists, before a later page failed.
    await app.db.prisma.syncPlanItem.create({
      data: {
        runId: failed!.runId,
        recordType: 'section_membership',
        action: 'archive',
        label: 'Half-read class',
      },
    });
    const page = (await admin.get(`/admin/sync/runs/${failed!.runId}`).expect(200)).text;
    expect(page).toContain('failed before it had read everything from Clever');
    expect(page).not.toContain('Half-read class');
  });

  it('refuses a form post without the CSRF token', async () => {
    const before = await app.db.prisma.syncRun.count();
    await admin.post('/admin/sync').type('form').send({ mode: 'sync' }).expect(403);
    expect(await app.db.prisma.syncRun.count()).toBe(before);
  });
});
