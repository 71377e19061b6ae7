import request from 'supertest';
import { OWN_ORIGIN, setup } from './helpers';

// The JSON control API under /__sandbox/ does what the store methods do, over HTTP.

describe('control API', () => {
  const s = setup();
  const post = (path: string, body: object) =>
    request(s.app).post(`/__sandbox/${path}`).set(OWN_ORIGIN).send(body);
  beforeEach(() => s.store.reset());

  it('serves personas and stats as JSON', async () => {
    expect((await request(s.app).get('/__sandbox/personas').expect(200)).body).toEqual(s.p);
    await s.get('/v3.0/users');
    const stats = (await request(s.app).get('/__sandbox/stats').expect(200)).body;
    expect(stats.byEndpoint['/users']).toBe(1);
    await request(s.app).delete('/__sandbox/stats').set(OWN_ORIGIN).expect(204);
    expect(s.store.stats().total).toBe(0);
  });

  it('unshare / reshare / delete answer the events they wrote', async () => {
    const res = await post('unshare', { type: 'user', id: s.p.student }).expect(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['users.deleted']);
    await s.get(`/v3.0/users/${s.p.student}`).expect(404);
    await post('reshare', { type: 'user', id: s.p.student }).expect(200);
    await post('delete', { type: 'section', id: s.p.coTaughtSection }).expect(200);
    await s.get(`/v3.0/sections/${s.p.coTaughtSection}`).expect(404);
  });

  it('move-student, co-teachers, rename, set-email, rollover, end-rollover, shrink, reset', async () => {
    const to = s.store.listSections(s.p.districtId).find((x) => x.school === s.p.charterSchool)!;
    await post('move-student', { studentId: s.p.student, toSection: to.id }).expect(200);
    await post('co-teachers/add', { sectionId: to.id, teacherId: s.p.teacherNoSections }).expect(200);
    await post('co-teachers/remove', { sectionId: to.id, teacherId: s.p.teacherNoSections }).expect(200);
    await post('rename', { type: 'section', id: to.id, name: 'Renamed' }).expect(200);
    await post('set-email', { userId: s.p.student, email: null }).expect(200);
    expect('email' in s.store.getUser(s.p.student)!).toBe(false);
    await post('rollover', { districtId: s.p.districtId }).expect(200);
    await post('rollover', { districtId: s.p.districtId }).expect(409);
    await post('end-rollover', { districtId: s.p.districtId }).expect(200);
    await post('shrink', { districtId: s.p.districtId, fraction: 0.5 }).expect(200);
    await post('reset', {}).expect(200);
    expect(s.store.getUser(s.p.student)!.email).toBeDefined();
  });

  it('rejects invalid input with 400 and unknown ids with 404', async () => {
    await post('unshare', { type: 'planet', id: s.p.student }).expect(400);
    await post('unshare', { type: 'user', id: 'abc' }).expect(400);
    await post('unshare', { type: 'user', id: 'f'.repeat(24) }).expect(404);
  });

  it('refuses cross-origin control requests (a web page cannot reset the sandbox)', async () => {
    await request(s.app).post('/__sandbox/reset').set('Origin', 'https://evil.example').send({}).expect(403);
  });

  it('the control page has labelled forms and no cookies; a form post redirects back', async () => {
    const page = await request(s.app).get('/__sandbox').expect(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.text).toContain('action="/__sandbox/unshare"');
    expect(page.text).toContain('<label for=');
    const res = await request(s.app)
      .post('/__sandbox/unshare')
      .set('Host', 'localhost:3001')
      .set('Origin', 'http://localhost:3001')
      .type('form')
      .send(`type=user&id=${s.p.student}`)
      .expect(303);
    expect(res.headers.location).toMatch(/^\/__sandbox\?done=/);
  });

  describe('only this machine drives it', () => {
    const unshare = () => request(s.app).post('/__sandbox/unshare').set('Host', 'localhost:3001');
    const stillShared = () => expect(s.store.isShared(s.p.student)).toBe(true);

    it('refuses a form post from a sandboxed iframe (Origin: null)', async () => {
      await unshare().set('Origin', 'null').type('form').send(`type=user&id=${s.p.student}`).expect(403);
      stillShared();
    });

    it('refuses a form post with no Origin, and one from another site', async () => {
      await unshare().type('form').send(`type=user&id=${s.p.student}`).expect(403);
      await unshare()
        .set('Origin', 'https://evil.example')
        .send({ type: 'user', id: s.p.student })
        .expect(403);
      stillShared();
    });

    it('answers a malformed Origin with 400, not 500', async () => {
      await unshare().set('Origin', 'http://[bad').send({ type: 'user', id: s.p.student }).expect(400);
      stillShared();
    });

    it('refuses a Host that is not localhost (DNS rebinding), even for reads of district tokens', async () => {
      await request(s.app).get('/__sandbox/personas').set('Host', 'rebound.evil.example:3001').expect(403);
      await request(s.app).get('/__sandbox').set('Host', 'rebound.evil.example').expect(403);
      await request(s.app).get('/__sandbox/personas').set('Host', '[::1]:3001').expect(200);
    });
  });
});
