// Shared pieces of the security suite (../shared/notes/security-checklist.md §6): the real app and sandbox
// on loopback, with every call the app makes to Clever recorded, and direct views of the session table.
import type supertest from 'supertest';
import type { CleverRequestInfo } from '../../src/clever/clever-clients';
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { signInAs, startTestApp, type TestApp, type TestAppOptions } from '../helpers/app';

export { PERSONAS, signInAs };

export interface SecurityApp extends TestApp {
  /** Every HTTP attempt the app made to Clever (OAuth host and Data API), in order. */
  calls: CleverRequestInfo[];
  /** Code exchanges (POST /oauth/tokens) so far. */
  exchanges(): number;
}

export async function startSecurityApp(options: TestAppOptions = {}): Promise<SecurityApp> {
  const calls: CleverRequestInfo[] = [];
  const app = await startTestApp({
    ...options,
    cleverHttp: { ...options.cleverHttp, onRequest: (info) => calls.push(info) },
  });
  return Object.assign(app, {
    calls,
    exchanges: () => calls.filter((c) => c.method === 'POST' && c.path.startsWith('/oauth/tokens')).length,
  });
}

export interface SessionRow {
  sid: string;
  sess: { passport?: { user?: string }; authAt?: number; cookie?: unknown } & Record<string, unknown>;
  expire: Date;
}

export async function sessionRows(app: TestApp): Promise<SessionRow[]> {
  const res = await app.db.pool.query(`SELECT sid, sess, expire FROM "session"`);
  return res.rows as SessionRow[];
}

/** The session id inside a signed `sid=s%3A<id>.<sig>` cookie. */
export function sidOf(cookie: string): string {
  const value = decodeURIComponent(cookie.split(';')[0]!.split('=').slice(1).join('='));
  return value.replace(/^s:/, '').replace(/\.[^.]+$/, '');
}

/** The session cookie the agent holds for the app, as a `Cookie` header value (`sid=...`). */
export function cookieOf(app: TestApp, agent: supertest.Agent): string {
  const jar = (agent as unknown as { jar: { getCookie(name: string, access: unknown): unknown } }).jar;
  const url = new URL(app.url);
  const cookie = jar.getCookie('sid', {
    domain: url.hostname,
    path: '/',
    secure: false,
    script: false,
  }) as { name: string; value: string } | undefined;
  if (!cookie) throw new Error('the agent holds no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

/** `GET /auth/clever` for this agent: the authorize URL (with `state`) the app sent the browser to. */
export async function startLogin(agent: supertest.Agent): Promise<URL> {
  const start = await agent.get('/auth/clever');
  if (start.status !== 302) throw new Error(`/auth/clever answered ${start.status}`);
  return new URL(start.headers.location as string);
}

/** Runs Clever's side of a login for `cleverUserId`: the callback path (code + state) Clever sends back. */
export async function cleverSendsBack(authorize: URL, cleverUserId: string): Promise<string> {
  const url = new URL(authorize);
  url.searchParams.set('user', cleverUserId);
  const clever = await fetch(url, { redirect: 'manual' });
  const back = clever.headers.get('location');
  if (!back) throw new Error(`the sandbox did not redirect back (${clever.status})`);
  const callback = new URL(back);
  return `${callback.pathname}${callback.search}`;
}

export async function userIdOf(app: TestApp, cleverId: string): Promise<string> {
  return (await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId } })).id;
}

/** The path and query a supertest response answered (e.g. the callback URL with its code and state). */
export function pathOf(res: supertest.Response): string {
  return (res as unknown as { req: { path: string } }).req.path;
}
