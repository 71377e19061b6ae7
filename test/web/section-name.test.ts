// A teacher (or a district admin) names a class in the app; the name survives every sync, Clever's name is
// kept beside it, and nobody else can rename it.
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signedIn } from './helpers';
import { type TestApp } from '../helpers/app';
import { startSyncTestApp, syncDistrict } from '../sync/helpers';

describe('renaming a section in the app', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startSyncTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
  const signIn = (cleverId: string) => signedIn(app, cleverId);
  const sectionOf = async (agent: ReturnType<TestApp['agent']>) =>
    (await agent.get('/api/me').expect(200)).body.sections[0] as { cleverId: string; name: string };

  it("keeps a teacher's name for their class through syncs and Clever renames, until they clear it", async () => {
    const teacher = await signIn(PERSONAS.teacher);
    const section = await sectionOf(teacher);
    const cleverName = app.sandbox.store.getSection(section.cleverId)!.name;
    await teacher
      .put(`/api/sections/${section.cleverId}/name`)
      .send({ name: 'Reading Owls' })
      .expect(200, { name: 'Reading Owls', cleverName });

    app.sandbox.store.rename('section', section.cleverId, 'Renamed in the SIS');
    expect((await syncDistrict(app)).status).toBe('succeeded');
    await signIn(PERSONAS.teacher);
    const mine = (await teacher.get('/api/me').expect(200)).body.sections.find(
      (s: { cleverId: string }) => s.cleverId === section.cleverId,
    );
    expect(mine.name).toBe('Reading Owls');
    const row = await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: section.cleverId } });
    expect(row).toMatchObject({ name: 'Renamed in the SIS', localName: 'Reading Owls' });

    await teacher.put(`/api/sections/${section.cleverId}/name`).send({ name: null }).expect(200);
    const back = (await teacher.get('/api/me').expect(200)).body.sections.find(
      (s: { cleverId: string }) => s.cleverId === section.cleverId,
    );
    expect(back.name).toBe('Renamed in the SIS');
  });

  it('lets a district admin rename any class of the district, and nobody else', async () => {
    const teacher = await signIn(PERSONAS.teacher);
    const section = await sectionOf(teacher);
    const admin = await signIn(PERSONAS.districtAdmin);
    await admin.put(`/api/sections/${section.cleverId}/name`).send({ name: 'Admin name' }).expect(200);

    const student = await signIn(PERSONAS.student);
    const refused = await student.put(`/api/sections/${section.cleverId}/name`).send({ name: 'Mine now' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');

    const outsider = await signIn(PERSONAS.secondDistrictAdmin);
    const unknown = await outsider.put(`/api/sections/${section.cleverId}/name`).send({ name: 'x' });
    const missing = await outsider.put('/api/sections/no-such-section/name').send({ name: 'x' });
    expect([unknown.status, unknown.body.error.code]).toEqual([missing.status, missing.body.error.code]);
    expect(unknown.status).toBe(404);

    const bad = await teacher.put(`/api/sections/${section.cleverId}/name`).send({ name: '' });
    expect(bad.status).toBe(400);
    const row = await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId: section.cleverId } });
    expect(row.localName).toBe('Admin name');
  });
});
