import { collect, setup } from './helpers';

describe('cursor pagination', () => {
  const s = setup({ scale: { students: 1234 } });
  const scaleToken = s.store.districtToken(s.store.scaleDistrictId!);

  it('returns 100 items by default, sorted by ascending id, with a next link carrying the cursor', async () => {
    const res = await s.get('/v3.0/users?role=student', scaleToken).expect(200);
    const ids = res.body.data.map((i: { data: { id: string } }) => i.data.id);
    expect(ids).toHaveLength(100);
    expect([...ids].sort()).toEqual(ids);
    expect(res.body.links).toEqual([
      { rel: 'self', uri: '/v3.0/users?role=student' },
      { rel: 'next', uri: `/v3.0/users?role=student&starting_after=${ids[99]}` },
    ]);
  });

  it('following next links visits every record exactly once; limit is carried and prev appears', async () => {
    const { ids, pages } = await collect(s, '/v3.0/users?role=student&limit=250', scaleToken);
    expect(ids).toHaveLength(1234);
    expect(new Set(ids).size).toBe(1234);
    expect(pages).toBe(5);
    const second = await s
      .get(`/v3.0/users?role=student&limit=250&starting_after=${ids[249]}`, scaleToken)
      .expect(200);
    expect(second.body.links).toContainEqual({
      rel: 'prev',
      uri: `/v3.0/users?role=student&limit=250&ending_before=${ids[250]}`,
    });
    expect(second.body.links.find((l: { rel: string }) => l.rel === 'next').uri).toContain('limit=250');
  });

  it('has no next link on the last page', async () => {
    const res = await s.get('/v3.0/schools?limit=10000').expect(200);
    expect(res.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self']);
  });

  it('answers 413 above limit=10000 and 400 for a nonsense limit', async () => {
    await s.get('/v3.0/users?limit=10001').expect(413);
    await s.get('/v3.0/users?limit=10000').expect(200);
    await s.get('/v3.0/users?limit=-5').expect(400);
  });

  it('ending_before pages backwards and ending_before=last gives the newest items', async () => {
    const all = (await collect(s, '/v3.0/sections?limit=7')).ids;
    const last = await s.get('/v3.0/sections?ending_before=last&limit=3').expect(200);
    expect(last.body.data.map((i: { data: { id: string } }) => i.data.id)).toEqual(all.slice(-3));
    const before = await s.get(`/v3.0/sections?ending_before=${all[5]}&limit=2`).expect(200);
    expect(before.body.data.map((i: { data: { id: string } }) => i.data.id)).toEqual(all.slice(3, 5));
  });

  it('paginates sub-resource lists too', async () => {
    const { ids } = await collect(
      s,
      `/v3.0/sections/${s.p.sectionWithTenTeachers}/users?role=teacher&limit=3`,
    );
    expect(ids).toHaveLength(10);
  });
});

describe('rate limiting', () => {
  it('sends X-RateLimit-* on every Data API answer and 429 with an empty body once the budget is spent', async () => {
    const s = setup({ rateLimitPerMinute: 3 });
    const first = await s.get('/v3.0/districts').expect(200);
    expect(first.headers['x-ratelimit-limit']).toBe('3');
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    expect(first.headers['x-ratelimit-bucket']).toBe('bearer');
    const reset = Number(first.headers['x-ratelimit-reset']);
    expect(reset * 1000).toBeGreaterThan(s.clock.now);
    expect(reset * 1000 - s.clock.now).toBeLessThanOrEqual(60_000);
    await s.get('/v3.0/schools').expect(200);
    await s.get('/v3.0/nonexistent').expect(404);
    const limited = await s.get('/v3.0/districts').expect(429);
    expect(limited.text).toBe('');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    // Budgets are per token: the other district is unaffected.
    await s.get('/v3.0/districts', s.store.districtToken(s.p.secondDistrictId)).expect(200);
    s.clock.now = reset * 1000;
    await s.get('/v3.0/districts').expect(200);
  });
});
