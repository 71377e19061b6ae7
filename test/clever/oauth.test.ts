import {
  CleverHttp,
  CleverNetworkError,
  CleverNotFoundError,
  CleverOAuthClient,
  CleverServerError,
  OAuthError,
} from '../../src/clever/clever-clients';
import * as fx from './fixtures/appendix-a';
import {
  sendEmpty,
  sendJson,
  startFakeClever,
  type FakeClever,
  type FakeHandler,
} from './helpers/fake-clever';

const CLIENT_ID = 'client-id-123';
const CLIENT_SECRET = 'client_secret_CANARY_77';
const CODE = 'code_CANARY_44';
const REDIRECT = 'https://app.example.org/auth/clever/callback';

let server: FakeClever | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: FakeHandler, timeoutMs = 30_000) {
  server = await startFakeClever(handler);
  const oauth = new CleverOAuthClient({
    oauthUrl: server.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    timeoutMs,
    sleep: async () => undefined,
  });
  return { oauth, requests: server.requests };
}

const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

describe('CleverOAuthClient.exchangeCode', () => {
  it('POSTs the code with HTTP Basic and a form body carrying grant_type, code and redirect_uri', async () => {
    const { oauth, requests } = await setup((_req, res) =>
      sendJson(res, 200, { access_token: 'il3jsfUI2131da2f', id_token: 'eyJ.x.y', token_type: 'bearer' }),
    );
    await expect(oauth.exchangeCode(CODE, REDIRECT)).resolves.toEqual({
      accessToken: 'il3jsfUI2131da2f',
      idToken: 'eyJ.x.y',
      tokenType: 'bearer',
    });
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/oauth/tokens');
    expect(req.headers.authorization).toBe(basic);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT,
    });
  });

  it('is not retried on 500 (a code is single-use)', async () => {
    const { oauth, requests } = await setup((_req, res) => sendJson(res, 500, { message: 'oops' }));
    await expect(oauth.exchangeCode(CODE, REDIRECT)).rejects.toBeInstanceOf(CleverServerError);
    expect(requests).toHaveLength(1);
  });

  it('is not retried on a timeout either', async () => {
    const { oauth, requests } = await setup(() => undefined, 100);
    await expect(oauth.exchangeCode(CODE, REDIRECT)).rejects.toBeInstanceOf(CleverNetworkError);
    expect(requests).toHaveLength(1);
  });

  it('maps invalid_grant to OAuthError with code invalid_grant, without the code or secret', async () => {
    const { oauth } = await setup((_req, res) =>
      sendJson(res, 400, { error: 'invalid_grant', error_description: `invalid code ${CODE}` }),
    );
    const error = (await oauth.exchangeCode(CODE, REDIRECT).catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'invalid_grant', status: 400 });
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${error.description}`;
    expect(everything).not.toContain(CODE);
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(error.description).toBe('invalid code [REDACTED]');
  });

  it('a 200 without access_token is a bad response', async () => {
    const { oauth } = await setup((_req, res) => sendJson(res, 200, { token_type: 'bearer' }));
    await expect(oauth.exchangeCode(CODE, REDIRECT)).rejects.toMatchObject({ code: 'bad_token_response' });
  });
});

describe('CleverOAuthClient district tokens', () => {
  it('lists district tokens from GET /oauth/tokens?owner_type=district with HTTP Basic', async () => {
    const { oauth, requests } = await setup((_req, res) => sendJson(res, 200, fx.districtTokenList));
    await expect(oauth.districtTokens()).resolves.toEqual([
      {
        districtId: fx.DISTRICT_ID,
        accessToken: fx.districtTokenList.data[0].access_token,
        scopes: fx.districtTokenList.data[0].scopes,
        created: '2022-06-23T21:56:32.335Z',
      },
    ]);
    expect(requests[0]).toMatchObject({ method: 'GET', url: '/oauth/tokens?owner_type=district' });
    expect(requests[0].headers.authorization).toBe(basic);
  });

  it('follows links.next when the token list is paged, and retries GETs on 503', async () => {
    const entry = (id: string) => ({
      id: `t${id}`,
      owner: { type: 'district', id },
      access_token: `tok${id}`,
      scopes: [],
    });
    const { oauth, requests } = await setup((req, res, i) => {
      if (i === 0) return sendEmpty(res, 503);
      if (req.url.includes('starting_after')) return sendJson(res, 200, { data: [entry('d2')], links: [] });
      sendJson(res, 200, {
        data: [entry('d1'), { id: 'x', owner: { type: 'user', id: 'u1' }, access_token: 'il', scopes: [] }],
        links: [{ rel: 'next', uri: '/oauth/tokens?owner_type=district&starting_after=td1' }],
      });
    });
    expect((await oauth.districtTokens()).map((t) => t.districtId)).toEqual(['d1', 'd2']);
    expect(requests).toHaveLength(3);
  });

  it("districtToken asks for one district and never returns another district's token", async () => {
    const { oauth, requests } = await setup((_req, res) =>
      // a server that ignores the district filter
      sendJson(res, 200, {
        data: [
          { owner: { type: 'district', id: 'other' }, access_token: 'tok-other', scopes: [] },
          { owner: { type: 'district', id: fx.DISTRICT_ID }, access_token: 'tok-mine', scopes: [] },
        ],
      }),
    );
    await expect(oauth.districtToken(fx.DISTRICT_ID)).resolves.toMatchObject({ accessToken: 'tok-mine' });
    expect(requests[0].url).toBe(`/oauth/tokens?owner_type=district&district=${fx.DISTRICT_ID}`);
    await expect(oauth.districtToken('not-connected')).rejects.toBeInstanceOf(CleverNotFoundError);
  });

  it('can share a CleverHttp transport', async () => {
    server = await startFakeClever((_req, res) => sendJson(res, 200, fx.districtTokenList));
    const http = new CleverHttp({ oauthUrl: server.url, apiUrl: 'http://127.0.0.1:9' });
    const oauth = new CleverOAuthClient({ http, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(oauth.http).toBe(http);
    expect(await oauth.districtTokens()).toHaveLength(1);
  });
});
