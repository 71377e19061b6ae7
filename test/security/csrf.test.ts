// CSRF tokens on HTML routes: required on every unsafe request whatever its body type, compared without ever
// throwing (a token of multi-byte characters is a 403, not a 500).
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, startTestApp, type TestApp } from '../helpers/app';

describe('CSRF tokens on HTML routes', () => {
  let app: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  let token: string;
  beforeAll(async () => {
    app = await startTestApp();
    admin = app.agent();
    await signInAs(app, admin, PERSONAS.districtAdmin);
    const page = await admin.get('/admin/sync').expect(200);
    token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  });
  afterAll(async () => {
    await app?.close();
  });
  const runs = () => app.db.prisma.syncRun.count();

  it('answers a token of non-ASCII characters with 403, not 500', async () => {
    const res = await admin
      .post('/admin/sync')
      .type('form')
      .send({ _csrf: 'é'.repeat(token.length), mode: 'sync' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('The form expired');
  });

  it.each([
    [
      'text/plain',
      (r: ReturnType<ReturnType<TestApp['agent']>['post']>) => r.type('text/plain').send(`_csrf=${token}`),
    ],
    [
      'multipart/form-data',
      (r: ReturnType<ReturnType<TestApp['agent']>['post']>) => r.field('_csrf', token).field('mode', 'sync'),
    ],
    ['application/json', (r: ReturnType<ReturnType<TestApp['agent']>['post']>) => r.send({ mode: 'sync' })],
  ])(
    'refuses a same-origin %s post to "Sync now" without the token, recording no run',
    async (_type, build) => {
      const before = await runs();
      const res = await build(admin.post('/admin/sync'));
      expect(res.status).toBe(403);
      expect(await runs()).toBe(before);
    },
  );

  it('accepts the token in the form or in an X-CSRF-Token header', async () => {
    const before = await runs();
    await admin.post('/admin/sync').type('form').send({ _csrf: token, mode: 'sync' }).expect(303);
    await admin
      .post('/admin/sync')
      .set('X-CSRF-Token', token)
      .type('form')
      .send({ mode: 'sync' })
      .expect(303);
    expect(await runs()).toBeGreaterThan(before);
  });
});
