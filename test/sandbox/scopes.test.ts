import { setup } from './helpers';

describe('token scopes', () => {
  const s = setup();
  const sso = s.store.ssoToken(s.p.student);

  it('an SSO token reads /me, its own user and its district only', async () => {
    await s.get('/v3.0/me', sso).expect(200);
    const me = await s.get(`/v3.0/users/${s.p.student}`, sso).expect(200);
    expect(me.body.data.name).toEqual({ first: 'Steve', middle: 'G', last: 'Ziemann' });
    expect(me.body.data.roles.student.dob).toBeUndefined(); // limited fields
    await s.get(`/v3.0/districts/${s.p.districtId}`, sso).expect(200);
  });

  it('anything else with an SSO token is the HTML "Cannot GET" page', async () => {
    for (const path of [
      '/v3.0/courses',
      `/v3.0/users/${s.p.teacher}`,
      '/v3.0/users',
      `/v3.0/users/${s.p.student}/sections`,
      '/v3.0/events',
    ]) {
      const res = await s.get(path, sso).expect(404);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toContain(`<pre>Cannot GET ${path.split('?')[0]}</pre>`);
    }
  });

  it('a district token sees only its own district; other districts and unshared records are JSON 404s', async () => {
    const second = s.store.districtToken(s.p.secondDistrictId);
    const own = await s.get('/v3.0/users?limit=10000', second).expect(200);
    expect(
      own.body.data.every((u: { data: { district: string } }) => u.data.district === s.p.secondDistrictId),
    ).toBe(true);
    for (const path of [
      `/v3.0/users/${s.p.student}`,
      `/v3.0/districts/${s.p.districtId}`,
      `/v3.0/sections/${s.p.coTaughtSection}`,
    ]) {
      const res = await s.get(path, second).expect(404);
      expect(res.body).toEqual({ message: expect.any(String) });
    }
    await s.get(`/v3.0/users/${s.p.unsharedStudent}`).expect(404);
  });

  it('a section may list a student that answers 404', async () => {
    const section = await s.get(`/v3.0/sections/${s.p.sectionWithUnsharedStudent}`).expect(200);
    expect(section.body.data.students).toContain(s.p.unsharedStudent);
    await s.get(`/v3.0/users/${s.p.unsharedStudent}`).expect(404);
    const members = await s
      .get(`/v3.0/sections/${s.p.sectionWithUnsharedStudent}/users?role=student`)
      .expect(200);
    expect(members.body.data.map((u: { data: { id: string } }) => u.data.id)).not.toContain(
      s.p.unsharedStudent,
    );
  });

  it('missing or unknown bearer tokens get 401', async () => {
    await s.get('/v3.0/users', 'not-a-token').expect(401);
    const res = await s.get('/v3.0/users', '').expect(401);
    expect(res.body.message).toBeDefined();
  });

  it('unknown paths and Resources (no scope) answer the HTML 404', async () => {
    const res = await s.get('/v3.0/resources').expect(404);
    expect(res.text).toContain('Cannot GET /v3.0/resources');
  });
});
