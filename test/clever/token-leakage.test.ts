import { inspect } from 'node:util';
import {
  CleverDataClient,
  CleverError,
  CleverHttp,
  type CleverRequestInfo,
} from '../../src/clever/clever-clients';
import {
  listEnvelope,
  sendJson,
  startFakeClever,
  type FakeClever,
  type FakeHandler,
} from './helpers/fake-clever';

const TOKEN = 'tok_CANARY_9f2';

let server: FakeClever | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const scenarios: Array<[string, FakeHandler, (client: CleverDataClient) => Promise<unknown>]> = [
  [
    '401 echoing the token',
    (_q, res) => sendJson(res, 401, { message: `bad token ${TOKEN}` }),
    (c) => c.me(),
  ],
  [
    '403 echoing the token',
    (_q, res) => sendJson(res, 403, { message: `token ${TOKEN} lacks scope` }),
    (c) => c.me(),
  ],
  [
    'HTML 404 echoing the token',
    (_q, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end(`<pre>Cannot GET /v3.0/me?token=${TOKEN}</pre>`);
    },
    (c) => c.getSection('s1'),
  ],
  [
    '500 forever echoing the token',
    (_q, res) => sendJson(res, 500, { message: `failed for ${TOKEN}` }),
    (c) => c.me(),
  ],
  [
    'malformed JSON containing the token',
    (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"token":"${TOKEN}", oops`);
    },
    (c) => c.me(),
  ],
  [
    'schema-invalid record',
    (_q, res) => sendJson(res, 200, { data: { id: { token: TOKEN } } }),
    (c) => c.getUser('u1'),
  ],
  [
    'pagination loop',
    (_q, res) =>
      sendJson(
        res,
        200,
        listEnvelope([{ id: 's1' }], 'schools', [{ rel: 'next', uri: '/v3.0/schools?limit=1000' }]),
      ),
    async (c) => {
      for await (const _school of c.schools()) void _school;
    },
  ],
  ['timeout', () => undefined, (c) => c.me()],
];

describe('no error carries the token', () => {
  it.each(scenarios)('%s', async (_name, handler, call) => {
    server = await startFakeClever(handler);
    const calls: CleverRequestInfo[] = [];
    const http = new CleverHttp({
      apiUrl: server.url,
      timeoutMs: 100,
      maxRetries: 1,
      sleep: async () => undefined,
      onRequest: (info) => calls.push(info),
    });
    const error = await call(new CleverDataClient(http, TOKEN)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CleverError);
    const rendered = [
      String(error),
      (error as Error).stack,
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(calls),
    ].join('\n');
    expect(rendered).not.toContain(TOKEN);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
  });
});
