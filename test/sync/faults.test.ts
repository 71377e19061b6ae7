// Clever failing mid-sync: retried where Clever says so; otherwise the run fails, recorded with a clear
// error, and nothing is archived.
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { isArchived, PERSONAS, setThreshold, startSyncTestApp, syncDistrict } from './helpers';

describe(`Clever faults during a full sync on ${backend}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp({ env: { CLEVER_TIMEOUT_MS: '300' } });
    expect((await syncDistrict(app)).status).toBe('succeeded');
    await setThreshold(app, 1);
  });
  beforeEach(() => {
    // Something a completed sync would archive: a failed one must not.
    app.sandbox.store.reset();
    app.sandbox.store.unshare('user', PERSONAS.studentCjk);
  });
  afterAll(async () => {
    await app.close();
  });

  const expectNothingArchived = async (runId: string) => {
    expect(await isArchived(app, 'user', PERSONAS.studentCjk)).toBe(false);
    expect(await app.db.prisma.auditEvent.count({ where: { syncRunId: runId, action: 'archived' } })).toBe(0);
  };

  it('waits out a 429 and finishes the sync', async () => {
    const fault = app.sandbox.store.addFault({ path: '/users', kind: '429', times: 1, resetSeconds: 1 });
    const result = await syncDistrict(app);
    expect(fault.hits).toBe(1);
    expect(result.status).toBe('succeeded');
    expect(await isArchived(app, 'user', PERSONAS.studentCjk)).toBe(true);
    app.sandbox.store.reshare('user', PERSONAS.studentCjk);
    await syncDistrict(app);
  });

  it('retries a request that timed out', async () => {
    const fault = app.sandbox.store.addFault({ path: '/sections', kind: 'hang', times: 1 });
    const result = await syncDistrict(app);
    expect(fault.hits).toBe(1);
    expect(result.status).toBe('succeeded');
    app.sandbox.store.reshare('user', PERSONAS.studentCjk);
    await syncDistrict(app);
  });

  it('fails without archiving anything when page 2 keeps answering 500', async () => {
    app.sandbox.store.addFault({ path: '/users', kind: '5xx', status: 500, afterPages: 1 });
    const result = await syncDistrict(app);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/500.*Nothing was archived/s);
    await expectNothingArchived(result.runId);
  });

  it('does not retry a 501 and fails the run', async () => {
    const fault = app.sandbox.store.addFault({ path: '/terms', kind: '5xx', status: 501 });
    const result = await syncDistrict(app);
    expect(fault.hits).toBe(1);
    expect(result.status).toBe('failed');
    await expectNothingArchived(result.runId);
  });

  it('fails without archiving anything on malformed JSON', async () => {
    app.sandbox.store.addFault({ path: '/sections', kind: 'malformed' });
    const result = await syncDistrict(app);
    expect(result.status).toBe('failed');
    await expectNothingArchived(result.runId);
  });

  it('fails without archiving anything when pagination loops', async () => {
    app.sandbox.store.addFault({ path: '/users', kind: 'loop' });
    const result = await syncDistrict(app);
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/pagination_loop/);
    await expectNothingArchived(result.runId);
    const run = await app.db.prisma.syncRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run.finishedAt).not.toBeNull();
  });
});
