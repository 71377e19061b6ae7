import { createSandboxStore } from '../../src/sandbox/sandbox-api';
import { collect, setup } from './helpers';

describe('Scale USD', () => {
  it('generates 50k students on the fly, readable page by page with mutations applied', async () => {
    const s = setup({ scale: { students: 50_000 } });
    const district = s.store.scaleDistrictId!;
    const token = s.store.districtToken(district);
    const { ids } = await collect(s, '/v3.0/users?role=student&limit=10000', token);
    expect(ids).toHaveLength(50_000);
    s.store.rename('user', ids[123], 'Renamed Student');
    expect(s.store.getUser(ids[123])!.name).toEqual({ first: 'Renamed', last: 'Student' });
    const events = s.store.shrink(district, 0.1);
    expect(events).toHaveLength(5_000);
    const sections = await s.get('/v3.0/sections?limit=10000', token).expect(200);
    expect(sections.body.data.length).toBeGreaterThan(1000);
  });

  it('keeps 200k students compact (well under 300 MB)', () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const store = createSandboxStore({ scale: { students: 200_000 } });
    const after = process.memoryUsage().heapUsed;
    expect(store.listSections(store.scaleDistrictId!).length).toBe(16_000);
    expect((after - before) / 1e6).toBeLessThan(200);
  });
});
