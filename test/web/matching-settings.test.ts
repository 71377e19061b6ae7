// A district admin names the district's verified email domains (GET/PUT /api/admin/matching); only they may.
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signedIn } from './helpers';
import { startTestApp, type TestApp } from '../helpers/app';

describe('matching settings for district admins', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });
  const signIn = (cleverId: string) => signedIn(app, cleverId);

  it('lets a district admin set and read the verified email domains, normalised', async () => {
    const admin = await signIn(PERSONAS.districtAdmin);
    expect((await admin.get('/api/admin/matching').expect(200)).body).toEqual({ verifiedEmailDomains: [] });
    await admin
      .put('/api/admin/matching')
      .send({ verifiedEmailDomains: ['@Schools.Example.EDU ', 'staff.example.edu'] })
      .expect(200, { verifiedEmailDomains: ['schools.example.edu', 'staff.example.edu'] });
    expect((await admin.get('/api/admin/matching').expect(200)).body.verifiedEmailDomains).toEqual([
      'schools.example.edu',
      'staff.example.edu',
    ]);
    const district = await app.db.prisma.district.findUniqueOrThrow({
      where: { cleverId: PERSONAS.districtId },
    });
    expect(district.verifiedEmailDomains).toEqual(['schools.example.edu', 'staff.example.edu']);
  });

  it('answers a list that is not domain names with 400 bad_request and changes nothing', async () => {
    const admin = await signIn(PERSONAS.districtAdmin);
    const res = await admin.put('/api/admin/matching').send({ verifiedEmailDomains: ['not a domain'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect((await admin.put('/api/admin/matching').send({ nope: 1 })).status).toBe(400);
  });

  it('refuses teachers', async () => {
    const teacher = await signIn(PERSONAS.teacher);
    const res = await teacher.put('/api/admin/matching').send({ verifiedEmailDomains: ['example.edu'] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });
});
