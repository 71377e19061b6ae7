// Sign-in limits that let a whole school sign in from one NAT address while refusing abuse: a generous overall
// cap per address, and a pause for an address whose sign-ins keep failing.
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, startTestApp, type TestApp } from '../helpers/app';

describe('sign-in limits', () => {
  describe('with the shipped defaults', () => {
    let app: TestApp;
    beforeAll(async () => {
      // '' = unset: the defaults the app ships with.
      app = await startTestApp({ env: { SIGNIN_RATE_LIMIT: '', SIGNIN_FAILURE_LIMIT: '' } });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('lets a class of 70 sign in within a minute from one school address', async () => {
      const students = app.sandbox.store
        .listUsers({ district: PERSONAS.districtId, role: 'student' })
        .map((u) => u.id)
        .slice(0, 35);
      expect(students.length).toBe(35);
      const statuses: number[] = [];
      for (const id of [...students, ...students]) {
        const agent = app.agent();
        statuses.push((await signInAs(app, agent, id)).status);
      }
      expect(statuses.filter((s) => s !== 303)).toEqual([]);
    });

    it('warns once at startup time when requests carry forwarding headers but TRUST_PROXY is unset', async () => {
      await app.agent().get('/').set('X-Forwarded-For', '198.51.100.7');
      await app.agent().get('/').set('X-Forwarded-For', '198.51.100.8');
      const warnings = app.logs.filter((l) => l.includes('TRUST_PROXY is not set'));
      expect(warnings).toHaveLength(1);
    });
  });

  describe('an address whose sign-ins keep failing', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({
        env: { TRUST_PROXY: 'loopback', SIGNIN_FAILURE_LIMIT: '5', SIGNIN_RATE_LIMIT: '' },
      });
    });
    afterAll(async () => {
      await app?.close();
    });
    const forged = (ip: string) =>
      app.agent().get('/auth/clever/callback?code=stolen&state=forged').set('X-Forwarded-For', ip);

    it('is paused after the failure limit, while other addresses and its earlier sessions are not', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await forged('203.0.113.50')).status);
      expect(statuses.slice(0, 5).every((s) => s === 403)).toBe(true);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const start = await app.agent().get('/auth/clever').set('X-Forwarded-For', '203.0.113.50');
      expect(start.status).toBe(429);
      expect(start.text).toContain('Too many sign-in attempts');
      await app.agent().get('/auth/clever').set('X-Forwarded-For', '203.0.113.51').expect(302);
    });

    it('does not count successful sign-ins as failures', async () => {
      for (let i = 0; i < 8; i++) {
        const agent = app.agent();
        agent.set('X-Forwarded-For', '203.0.113.60');
        expect((await signInAs(app, agent, PERSONAS.student)).status).toBe(303);
      }
    });
  });
});
