// One record Clever sends malformed (a required field of the wrong shape) is skipped and counted; the run still
// succeeds, every other record is written, and the skipped record is not archived for being "missing".
import { PERSONAS, startSyncTestApp, syncDistrict, isArchived } from './helpers';
import type { TestApp } from '../helpers/app';

describe('a malformed record in a full sync', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
    expect((await syncDistrict(app)).status).toBe('succeeded');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is skipped and counted without failing the run or archiving anything', async () => {
    const user = app.sandbox.store.getUser(PERSONAS.studentApostrophe) as unknown as Record<string, unknown>;
    const roles = user.roles;
    user.roles = 'not an object';
    app.sandbox.store.rename('section', PERSONAS.coTaughtSection, 'Renamed while one record is broken');
    try {
      const result = await syncDistrict(app);
      expect(result.status).toBe('succeeded');
      expect(result.counts.user.errors).toBe(1);
      expect(result.counts.total.archived).toBe(0);
      expect(await isArchived(app, 'user', PERSONAS.studentApostrophe)).toBe(false);
      const section = await app.db.prisma.section.findUniqueOrThrow({
        where: { cleverId: PERSONAS.coTaughtSection },
      });
      expect(section.name).toBe('Renamed while one record is broken');
    } finally {
      user.roles = roles;
    }
  });
});
