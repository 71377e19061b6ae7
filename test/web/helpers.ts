// Helpers for the web page tests: the real app over loopback with both sandbox districts synced, and agents
// signed in through the whole OAuth flow.
import type supertest from 'supertest';
import { PERSONAS } from '../../src/sandbox/sandbox-api';
import { syncNow } from '../../src/sync/sync-api';
import { signInAs, startTestApp, type TestApp, type TestAppOptions } from '../helpers/app';

export { PERSONAS };

/** The app with Sandbox ISD and Second District synced, as after the first nightly sync. */
export async function startSyncedApp(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await startTestApp(options);
  await syncNow(app.services, { all: true });
  return app;
}

export async function signedIn(app: TestApp, cleverId: string): Promise<supertest.Agent> {
  const agent = app.agent();
  const res = await signInAs(app, agent, cleverId);
  if (res.status !== 302 && res.status !== 303)
    throw new Error(`sign-in as ${cleverId} answered ${res.status}`);
  return agent;
}

export async function userIdOf(app: TestApp, cleverId: string): Promise<string> {
  return (await app.db.prisma.user.findUniqueOrThrow({ where: { cleverId } })).id;
}

export async function sectionIdOf(app: TestApp, cleverId: string): Promise<string> {
  return (await app.db.prisma.section.findUniqueOrThrow({ where: { cleverId } })).id;
}

/** The CSRF token of the signed-in session, read from a page's hidden form field. */
export async function csrfOf(agent: supertest.Agent, page = '/dashboard'): Promise<string> {
  const res = await agent.get(page);
  const match = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!match) throw new Error(`no CSRF token on ${page} (${res.status})`);
  return match[1]!;
}

/**
 * Searches the roster as the page's form does (a POST kept in the session), then opens the page it leads
 * to: answers that page and its URL.
 */
export async function searchRoster(
  agent: supertest.Agent,
  filters: Record<string, string>,
): Promise<{ res: supertest.Response; url: string }> {
  const csrf = await csrfOf(agent, '/admin/roster');
  const posted = await agent
    .post('/admin/roster')
    .type('form')
    .send({ _csrf: csrf, ...filters })
    .expect(303);
  const url = posted.headers.location as string;
  return { res: await agent.get(url).expect(200), url };
}
