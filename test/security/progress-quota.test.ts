// POST /api/progress is bounded per user — a rate and a size — with clear 429/413 answers; nothing accepted is
// lost, and one student's quota never limits a classmate on the same school address.
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signedIn } from '../web/helpers';
import { startTestApp, type TestApp } from '../helpers/app';

describe('progress write quotas', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { PROGRESS_RATE_LIMIT: '5' } });
  });
  afterAll(async () => {
    await app?.close();
  });
  const signIn = (cleverId: string) => signedIn(app, cleverId);

  it('answers 429 rate_limited past the per-user rate, keeps every accepted record, and spares classmates', async () => {
    const student = await signIn(PERSONAS.student);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      statuses.push((await student.post('/api/progress').send({ activity: `lesson ${i}`, score: i })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    const refused = await student.post('/api/progress').send({ activity: 'one more' });
    expect(refused.body.error.code).toBe('rate_limited');
    const items = (await student.get('/api/me/progress').expect(200)).body.items;
    expect(items.map((i: { activity: string }) => i.activity).sort()).toEqual(
      ['lesson 0', 'lesson 1', 'lesson 2', 'lesson 3', 'lesson 4'].sort(),
    );

    const classmate = await signIn(PERSONAS.studentTwoSchools);
    await classmate.post('/api/progress').send({ activity: 'my own lesson' }).expect(201);
  });

  it('answers 413 payload_too_large for an oversized record, and for a body over the app limit', async () => {
    const student = await signIn(PERSONAS.studentNonAscii);
    const big = await student.post('/api/progress').send({ activity: 'x', notes: 'y'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const huge = await student
      .post('/api/progress')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ activity: 'z'.repeat(200_000) }));
    expect(huge.status).toBe(413);
    expect((await student.get('/api/me/progress').expect(200)).body.items).toEqual([]);
  });
});
