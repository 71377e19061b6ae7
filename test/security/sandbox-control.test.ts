// The sandbox's control API (src/sandbox/http/control.ts) runs on a developer's machine while they browse the
// web: no other page may drive it. A state-changing request needs an Origin naming the sandbox itself, and
// only loopback Host names are served (a DNS-rebound name must not read the district tokens).
import request from 'supertest';
import { setup } from '../sandbox/helpers';

describe('the sandbox control API refuses requests from other pages', () => {
  const s = setup();
  beforeEach(() => s.store.reset());
  const unshare = () => ({ type: 'user', id: s.p.student });
  const shared = () => s.store.getUser(s.p.student) !== undefined;

  it('refuses an unsafe request with Origin: null (a sandboxed iframe form)', async () => {
    const res = await request(s.app)
      .post('/__sandbox/unshare')
      .set('Origin', 'null')
      .type('form')
      .send(unshare());
    expect(res.status).toBe(403);
    expect(shared()).toBe(true);
  });

  it('refuses an unsafe request with no Origin at all', async () => {
    const res = await request(s.app).post('/__sandbox/unshare').send(unshare());
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/Origin/);
    expect(shared()).toBe(true);
  });

  it('answers a malformed Origin with 400, not 500', async () => {
    const res = await request(s.app).post('/__sandbox/reset').set('Origin', 'not a url').send({});
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/Origin/);
  });

  it('serves nothing to a Host name that is not loopback (DNS rebinding)', async () => {
    const tokens = await request(s.app).get('/__sandbox/tokens').set('Host', 'attacker.example:3001');
    expect(tokens.status).toBe(403);
    expect(JSON.stringify(tokens.body)).not.toMatch(/access_token|"token"/);
    const reset = await request(s.app)
      .post('/__sandbox/unshare')
      .set('Host', 'attacker.example:3001')
      .set('Origin', 'http://attacker.example:3001')
      .send(unshare());
    expect(reset.status).toBe(403);
    expect(shared()).toBe(true);
  });

  it.each(['localhost:3001', '127.0.0.1:4000', '[::1]:3001', 'localhost'])(
    'serves a loopback Host (%s) with its own Origin',
    async (host) => {
      await request(s.app).get('/__sandbox/tokens').set('Host', host).expect(200);
      await request(s.app)
        .post('/__sandbox/unshare')
        .set('Host', host)
        .set('Origin', `http://${host}`)
        .send(unshare())
        .expect(200);
      expect(shared()).toBe(false);
    },
  );
});
