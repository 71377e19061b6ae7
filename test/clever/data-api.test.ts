import {
  CleverBadResponseError,
  CleverDataClient,
  CleverHttp,
  CleverNotFoundError,
  type CleverValidationIssue,
} from '../../src/clever/clever-clients';
import * as fx from './fixtures/appendix-a';
import {
  listEnvelope,
  sendJson,
  startFakeClever,
  type FakeClever,
  type FakeHandler,
} from './helpers/fake-clever';

const TOKEN = 'tok_CANARY_9f2_district_token';

let server: FakeClever | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: FakeHandler, options: ConstructorParameters<typeof CleverDataClient>[2] = {}) {
  server = await startFakeClever(handler);
  const http = new CleverHttp({
    apiUrl: server.url,
    version: 'v3.0',
    maxRetries: 1,
    sleep: async () => undefined,
  });
  return { client: new CleverDataClient(http, TOKEN, options), requests: server.requests };
}

const user = (id: string) => ({ id, district: fx.DISTRICT_ID, roles: { student: {} } });

/** Three pages of users, linked like Clever does: next carries limit and starting_after=<last id>. */
const threePages: FakeHandler = (req, res) => {
  const url = new URL(req.url, 'http://x');
  const after = url.searchParams.get('starting_after');
  const limit = url.searchParams.get('limit');
  const pages: Record<string, { ids: string[]; next?: string }> = {
    start: { ids: ['u01', 'u02'], next: 'u02' },
    u02: { ids: ['u03', 'u04'], next: 'u04' },
    u04: { ids: ['u05'] },
  };
  const page = pages[after ?? 'start'];
  const links = [{ rel: 'self', uri: req.url }];
  if (page.next) links.push({ rel: 'next', uri: `/v3.0/users?limit=${limit}&starting_after=${page.next}` });
  sendJson(res, 200, listEnvelope(page.ids.map(user), 'users', links));
};

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('CleverDataClient pagination', () => {
  it('follows next links across 3 pages and yields every record in order', async () => {
    const { client, requests } = await setup(threePages);
    const users = await collect(client.users());
    expect(users.map((u) => u.id)).toEqual(['u01', 'u02', 'u03', 'u04', 'u05']);
    expect(requests.map((r) => r.url)).toEqual([
      '/v3.0/users?limit=1000',
      '/v3.0/users?limit=1000&starting_after=u02',
      '/v3.0/users?limit=1000&starting_after=u04',
    ]);
    expect(requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('pages() yields whole pages so a sync can write page by page', async () => {
    const { client } = await setup(threePages, { pageSize: 2 });
    const pages = await collect(client.pages('/users'));
    expect(pages.map((page) => page.map((u) => u.id))).toEqual([['u01', 'u02'], ['u03', 'u04'], ['u05']]);
  });

  it('sends role and limit on the first request only, and keeps the version prefix of next links', async () => {
    const { client, requests } = await setup(
      (req, res) => {
        const next = req.url.includes('starting_after')
          ? []
          : [{ rel: 'next', uri: '/v3.0/users?role=teacher&starting_after=u01' }];
        sendJson(
          res,
          200,
          listEnvelope([user(req.url.includes('starting_after') ? 'u02' : 'u01')], 'users', next),
        );
      },
      { pageSize: 50 },
    );
    await collect(client.users('teacher'));
    expect(requests.map((r) => r.url)).toEqual([
      '/v3.0/users?limit=50&role=teacher',
      '/v3.0/users?role=teacher&starting_after=u01',
    ]);
  });

  it('a v3.1 client keeps v3.1 on later pages even if a link says /v3.0', async () => {
    server = await startFakeClever((req, res) => {
      const next = req.url.includes('starting_after')
        ? []
        : [{ rel: 'next', uri: '/v3.0/schools?starting_after=s1' }];
      sendJson(
        res,
        200,
        listEnvelope([{ id: req.url.includes('starting_after') ? 's2' : 's1' }], 'schools', next),
      );
    });
    const client = new CleverDataClient(new CleverHttp({ apiUrl: server.url, version: 'v3.1' }), TOKEN);
    expect((await collect(client.schools())).map((s) => s.id)).toEqual(['s1', 's2']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v3.1/schools?limit=1000',
      '/v3.1/schools?starting_after=s1',
    ]);
  });

  it('a next link that repeats a starting_after cursor fails with pagination_loop', async () => {
    const { client, requests } = await setup((req, res) => {
      // page 3 points back at page 2's cursor
      const after = new URL(req.url, 'http://x').searchParams.get('starting_after');
      const next = after === null ? 'u01' : after === 'u01' ? 'u02' : 'u01';
      sendJson(
        res,
        200,
        listEnvelope([user(`${after}-x`)], 'users', [
          { rel: 'next', uri: `/v3.0/users?limit=9&starting_after=${next}` },
        ]),
      );
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const u of client.users()) seen.push(u.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleverBadResponseError);
    expect(error).toMatchObject({ code: 'pagination_loop' });
    expect(requests).toHaveLength(3);
    expect(seen).toHaveLength(3);
  });

  it('a next link equal to the page itself fails with pagination_loop', async () => {
    const { client, requests } = await setup((_req, res) =>
      sendJson(
        res,
        200,
        listEnvelope([user('u1')], 'users', [{ rel: 'next', uri: '/v3.0/sections?limit=1000' }]),
      ),
    );
    await expect(collect(client.sections())).rejects.toMatchObject({ code: 'pagination_loop' });
    expect(requests).toHaveLength(1);
  });

  it('a malformed page fails the listing (bad_envelope / invalid_json)', async () => {
    const { client } = await setup((req, res) => {
      if (req.url.startsWith('/v3.0/terms')) return sendJson(res, 200, { data: { not: 'an array' } });
      if (req.url.startsWith('/v3.0/courses')) return sendJson(res, 200, { data: [{ id: 'c1' }] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":[{"data":{"id":"58da8c58');
    });
    await expect(collect(client.terms())).rejects.toMatchObject({ code: 'bad_envelope' });
    await expect(collect(client.courses())).rejects.toMatchObject({ code: 'bad_envelope' });
    const error = await collect(client.schools()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CleverBadResponseError);
    expect(error).toMatchObject({ code: 'invalid_json' });
  });

  it('skips a record that fails its schema and hands it to onInvalid', async () => {
    const invalid: Array<{ record: unknown; issues: CleverValidationIssue[] }> = [];
    const { client } = await setup(
      (_req, res) =>
        sendJson(
          res,
          200,
          listEnvelope([user('u1'), { id: 'u2', roles: {} } as never, user('u3')], 'users', []),
        ),
      { onInvalid: (record, issues) => invalid.push({ record, issues }) },
    );
    expect((await collect(client.users())).map((u) => u.id)).toEqual(['u1', 'u3']);
    expect(invalid).toEqual([
      { record: { id: 'u2', roles: {} }, issues: [expect.objectContaining({ path: 'district' })] },
    ]);
  });

  it('rejects a next link to another host (the token must stay with Clever)', async () => {
    const { client, requests } = await setup((_req, res) =>
      sendJson(
        res,
        200,
        listEnvelope([user('u1')], 'users', [
          { rel: 'next', uri: 'https://evil.example/v3.0/users?starting_after=u1' },
        ]),
      ),
    );
    await expect(collect(client.users())).rejects.toMatchObject({ code: 'bad_link' });
    expect(requests).toHaveLength(1);
  });

  it('validates sub-resource listings with the right schema', async () => {
    const { client, requests } = await setup((req, res) => {
      if (req.url.includes('/users/u1/sections'))
        return sendJson(res, 200, listEnvelope([fx.section], 'sections', []));
      if (req.url.includes('/schools/')) return sendJson(res, 200, listEnvelope([user('u9')], 'users', []));
      sendJson(res, 200, listEnvelope([fx.teacherStaffUser], 'users', []));
    });
    expect((await collect(client.userSections('u1')))[0].school).toBe(fx.section.school);
    expect((await collect(client.sectionUsers('s1', 'teacher')))[0].roles.staff?.staff_id).toBe('74002');
    expect((await collect(client.schoolUsers('sc1', { role: 'student', primary: true })))[0].id).toBe('u9');
    expect(requests.map((r) => r.url)).toEqual([
      '/v3.0/users/u1/sections?limit=1000',
      '/v3.0/sections/s1/users?limit=1000&role=teacher',
      '/v3.0/schools/sc1/users?limit=1000&role=student&primary=true',
    ]);
  });
});

describe('CleverDataClient single reads and events', () => {
  it('getUser returns the parsed user, and null on 404 (unshared)', async () => {
    const { client, requests } = await setup((req, res) =>
      req.url.endsWith('/missing')
        ? sendJson(res, 404, { message: 'Resource not found' })
        : sendJson(res, 200, fx.studentUserResponse),
    );
    expect((await client.getUser('58da8c63d7dc0ca0680003ed'))?.roles.student?.sis_id).toBe('100095233');
    await expect(client.getUser('missing')).resolves.toBeNull();
    expect(requests.map((r) => r.url)).toEqual([
      '/v3.0/users/58da8c63d7dc0ca0680003ed',
      '/v3.0/users/missing',
    ]);
  });

  it('getSection / getDistrict parse single envelopes; a 404 section throws CleverNotFoundError', async () => {
    const { client } = await setup((req, res) => {
      if (req.url === '/v3.0/sections/gone') return sendJson(res, 404, { message: 'Resource not found' });
      if (req.url.startsWith('/v3.0/sections/')) return sendJson(res, 200, { data: fx.section, links: [] });
      sendJson(res, 200, { data: fx.district, links: [] });
    });
    expect((await client.getSection(fx.section.id)).teachers).toEqual(fx.section.teachers);
    expect((await client.getDistrict(fx.DISTRICT_ID)).name).toBe('#DEMO Certification ISD - Events');
    await expect(client.getSection('gone')).rejects.toBeInstanceOf(CleverNotFoundError);
  });

  it('a single record failing its schema is CleverBadResponseError invalid_record', async () => {
    const { client } = await setup((_req, res) => sendJson(res, 200, { data: { district: 'd' } }));
    await expect(client.getUser('u1')).rejects.toMatchObject({ code: 'invalid_record' });
  });

  it('me() calls the versioned /me; listDistricts sends no limit (works with SSO tokens)', async () => {
    const { client, requests } = await setup((req, res) =>
      req.url.startsWith('/v3.0/me')
        ? sendJson(res, 200, fx.meResponse)
        : sendJson(
            res,
            200,
            listEnvelope([fx.district], 'districts', [{ rel: 'self', uri: '/v3.0/districts' }]),
          ),
    );
    expect((await client.me()).data.id).toBe('58da8c63d7dc0ca0680003ed');
    expect((await client.listDistricts()).map((d) => d.id)).toEqual([fx.DISTRICT_ID]);
    expect(requests.map((r) => r.url)).toEqual(['/v3.0/me', '/v3.0/districts']);
  });

  it('events() passes starting_after and repeated record_type, and parses events', async () => {
    const { client, requests } = await setup((_req, res) =>
      sendJson(res, 200, listEnvelope([fx.usersUpdatedEvent], 'events', [])),
    );
    const events = await collect(client.events({ startingAfter: 'e0', recordTypes: ['users', 'sections'] }));
    expect(events[0]).toMatchObject({ id: fx.usersUpdatedEvent.id, type: 'users.updated' });
    expect(events[0].data.previous_attributes).toEqual(fx.usersUpdatedEvent.data.previous_attributes);
    expect(requests[0].url).toBe(
      '/v3.0/events?limit=1000&starting_after=e0&record_type=users&record_type=sections',
    );
  });

  it('events() omits starting_after when there is none', async () => {
    const { client, requests } = await setup((_req, res) =>
      sendJson(res, 200, listEnvelope([], 'events', [])),
    );
    expect(await collect(client.events())).toEqual([]);
    expect(requests[0].url).toBe('/v3.0/events?limit=1000');
  });

  it('latestEventId asks for ending_before=last&limit=1; null on an empty feed', async () => {
    let empty = false;
    const { client, requests } = await setup((_req, res) =>
      sendJson(res, 200, listEnvelope(empty ? [] : [fx.usersUpdatedEvent], 'events', [])),
    );
    await expect(client.latestEventId()).resolves.toBe(fx.usersUpdatedEvent.id);
    empty = true;
    await expect(client.latestEventId()).resolves.toBeNull();
    expect(requests[0].url).toBe('/v3.0/events?ending_before=last&limit=1');
  });

  it('refuses page sizes Clever would answer with 413', async () => {
    const http = new CleverHttp({});
    expect(() => new CleverDataClient(http, TOKEN, { pageSize: 10_001 })).toThrow(RangeError);
    expect(() => new CleverDataClient(http, TOKEN, { pageSize: 0 })).toThrow(RangeError);
    expect(() => new CleverDataClient(http, TOKEN, { pageSize: 10_000 })).not.toThrow();
  });
});
