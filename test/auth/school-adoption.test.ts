// A school this app knew before Clever (made by hand, with its NCES id) is adopted by the Clever school at the
// first login that sees it, exactly as the full sync adopts it — never duplicated.
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, type TestApp } from '../helpers/app';
import { startSyncTestApp, syncDistrict } from '../sync/helpers';

describe('adopting pre-existing schools at login', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('adopts the local school at a login before any sync, and the sync keeps that one row', async () => {
    const store = app.sandbox.store;
    const school = store.listSchools(PERSONAS.districtId).find((s) => s.nces_id)!;
    const section = store.listSections(PERSONAS.districtId).find((s) => s.school === school.id)!;
    const district = await app.db.prisma.district.create({
      data: { cleverId: PERSONAS.districtId, name: 'Our district', connection: 'local' },
    });
    const local = await app.db.prisma.school.create({
      data: { districtId: district.id, name: 'Harbor HS (our name)', ncesId: school.nces_id! },
    });

    const agent = app.agent();
    expect((await signInAs(app, agent, section.teacher!)).status).toBe(303);
    const adopted = await app.db.prisma.school.findMany({ where: { ncesId: school.nces_id! } });
    expect(adopted.map((s) => [s.id, s.cleverId])).toEqual([[local.id, school.id]]);

    expect((await syncDistrict(app)).status).toBe('succeeded');
    expect(await app.db.prisma.school.count({ where: { ncesId: school.nces_id! } })).toBe(1);
    const audit = await app.db.prisma.auditEvent.findFirst({
      where: { recordId: local.id, action: 'matched' },
    });
    expect(audit?.source).toBe('login');
  });
});
