// CSRF tokens on the HTML routes (src/web/middleware/security.ts): every unsafe request to a page route must
// carry the session's token whatever its body type, a wrong token of any characters is a clear 403 (never a
// 500), and the JSON API keeps its documented rule (same origin, no token).
import type supertest from 'supertest';
import { backend } from '../helpers/db';
import type { TestApp } from '../helpers/app';
import { csrfOf, PERSONAS, signedIn, startSyncedApp } from '../web/helpers';

describe(`CSRF tokens on the HTML routes (${backend})`, () => {
  let app: TestApp;
  let admin: supertest.Agent;
  let token: string;
  const runs = () => app.db.prisma.syncRun.count();

  beforeAll(async () => {
    app = await startSyncedApp();
    admin = await signedIn(app, PERSONAS.districtAdmin);
    token = await csrfOf(admin, '/admin/sync');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a token of non-ASCII characters with the "form expired" 403, not a 500', async () => {
    const before = await runs();
    const forged = 'é'.repeat(token.length); // same length in characters, twice the bytes
    const res = await admin
      .post('/admin/sync')
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: forged, mode: 'sync' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form expired');
    expect(await runs()).toBe(before);
  });

  it('refuses a text/plain "Sync now" without the token', async () => {
    const before = await runs();
    const res = await admin.post('/admin/sync').set('Content-Type', 'text/plain').send('mode=sync');
    expect(res.status).toBe(403);
    expect(await runs()).toBe(before);
  });

  it('refuses a multipart "Sync now" without the token', async () => {
    const before = await runs();
    const res = await admin.post('/admin/sync').field('mode', 'sync');
    expect(res.status).toBe(403);
    expect(await runs()).toBe(before);
  });

  it('refuses a body-less "Sync now" and a body-less logout without the token', async () => {
    const before = await runs();
    expect((await admin.post('/admin/sync')).status).toBe(403);
    expect(await runs()).toBe(before);
    expect((await admin.post('/logout')).status).toBe(403);
    await admin.get('/api/me').expect(200);
  });

  it('still accepts the form with its token, in the body or the X-CSRF-Token header', async () => {
    await admin.post('/admin/sync').type('form').send({ _csrf: token, mode: 'preview' }).expect(303);
    await admin
      .post('/admin/sync')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ mode: 'preview' })
      .expect(303);
  });

  it('keeps the JSON API as documented: same origin, session cookie, no token', async () => {
    const student = await signedIn(app, PERSONAS.student);
    await student.post('/api/progress').send({ activity: 'csrf-json', score: 1 }).expect(201);
    // the same request from another site is still refused
    await student
      .post('/api/progress')
      .set('Origin', 'https://evil.example')
      .send({ activity: 'csrf-json', score: 1 })
      .expect(403);
  });
});
