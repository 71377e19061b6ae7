import request from 'supertest';
import { createSandboxApp, createSandboxStore, type SandboxOptions } from '../../src/sandbox/sandbox-api';

export const T0 = Date.parse('2025-10-01T12:00:00.000Z');
export const CLIENT = { id: 'sandbox-client', secret: 'sandbox-secret' };
/** Host and Origin of a script driving the control API as the sandbox itself (src/sandbox/http/control.ts). */
export const OWN_ORIGIN = { Host: 'localhost:3001', Origin: 'http://localhost:3001' };
export const CALLBACK = 'http://localhost:3000/auth/clever/callback';

/** An in-process sandbox with a controllable clock and helpers to call it as a district or user. */
export function setup(opts: Omit<SandboxOptions, 'port' | 'host' | 'clock'> = {}) {
  const clock = { now: T0 };
  const store = createSandboxStore({ seed: opts.seed, scale: opts.scale, clock: () => clock.now });
  const app = createSandboxApp(store, {
    redirectUris: [CALLBACK, 'http://localhost:3000/other/callback/'],
    ...opts,
  });
  const p = store.personas;
  const token = store.districtToken(p.districtId);
  const get = (path: string, bearer: string = token) =>
    request(app).get(path).set('Authorization', `Bearer ${bearer}`);
  return { store, app, clock, p, token, get };
}

export type Sandbox = ReturnType<typeof setup>;

/** Follows `next` links from `path`, returning every item's id (and the number of pages). */
export async function collect(
  s: Sandbox,
  path: string,
  bearer?: string,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const res: request.Response = await s.get(next, bearer).expect(200);
    pages++;
    ids.push(...res.body.data.map((item: { data: { id: string } }) => item.data.id));
    next = res.body.links.find((l: { rel: string }) => l.rel === 'next')?.uri;
    if (pages > 1000) throw new Error('too many pages');
  }
  return { ids, pages };
}
