import {
  CleverAuthError,
  CleverDataClient,
  CleverHttp,
  CleverOAuthClient,
  DistrictTokenCache,
  withDistrictToken,
  type DistrictToken,
} from '../../src/clever/clever-clients';
import { listEnvelope, sendJson, startFakeClever, type FakeClever } from './helpers/fake-clever';

const DISTRICT = '58da8a43cc70ab00017a1a87';

function fakeOAuth(tokens: string[]) {
  const calls: string[] = [];
  return {
    calls,
    districtToken: async (districtId: string): Promise<DistrictToken> => {
      calls.push(districtId);
      const accessToken = tokens[Math.min(calls.length - 1, tokens.length - 1)];
      return { districtId, accessToken, scopes: [], created: null };
    },
  };
}

describe('DistrictTokenCache', () => {
  it('caches per district, shares concurrent lookups and expires after ttlMs', async () => {
    let now = 0;
    const oauth = fakeOAuth(['t1', 't2']);
    const cache = new DistrictTokenCache(oauth, { ttlMs: 1000, now: () => now });
    expect(await Promise.all([cache.get(DISTRICT), cache.get(DISTRICT)])).toEqual(['t1', 't1']);
    expect(oauth.calls).toHaveLength(1);
    now = 999;
    expect(await cache.get(DISTRICT)).toBe('t1');
    now = 1000;
    expect(await cache.get(DISTRICT)).toBe('t2');
    expect(oauth.calls).toHaveLength(2);
  });

  it('invalidate forces a new lookup; failed lookups are not cached', async () => {
    let fail = true;
    const oauth = {
      districtToken: async (districtId: string): Promise<DistrictToken> => {
        if (fail) throw new Error('down');
        return { districtId, accessToken: 'fresh', scopes: [], created: null };
      },
    };
    const cache = new DistrictTokenCache(oauth);
    await expect(cache.get(DISTRICT)).rejects.toThrow('down');
    fail = false;
    expect(await cache.get(DISTRICT)).toBe('fresh');
    cache.invalidate(DISTRICT);
    fail = true;
    await expect(cache.get(DISTRICT)).rejects.toThrow('down');
  });
});

describe('withDistrictToken', () => {
  let server: FakeClever | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('on a 401 refreshes the token once from /oauth/tokens and retries once', async () => {
    let tokenLookups = 0;
    server = await startFakeClever((req, res) => {
      if (req.url.startsWith('/oauth/tokens')) {
        tokenLookups++;
        const token = tokenLookups === 1 ? 'revoked-token-aaaa' : 'rotated-token-bbbb';
        return sendJson(res, 200, {
          data: [{ owner: { type: 'district', id: DISTRICT }, access_token: token, scopes: [] }],
        });
      }
      if (req.headers.authorization !== 'Bearer rotated-token-bbbb')
        return sendJson(res, 401, { message: 'Unauthorized' });
      sendJson(res, 200, listEnvelope([{ id: 's1' }], 'schools', []));
    });
    const http = new CleverHttp({ apiUrl: server.url, oauthUrl: server.url });
    const cache = new DistrictTokenCache(
      new CleverOAuthClient({ http, clientId: 'id', clientSecret: 'secret' }),
    );
    const tokensUsed: string[] = [];
    const ids = await withDistrictToken(cache, DISTRICT, async (token) => {
      tokensUsed.push(token);
      const schools = [];
      for await (const school of new CleverDataClient(http, token).schools()) schools.push(school.id);
      return schools;
    });
    expect(ids).toEqual(['s1']);
    expect(tokensUsed).toEqual(['revoked-token-aaaa', 'rotated-token-bbbb']);
    expect(tokenLookups).toBe(2);
    expect(await cache.get(DISTRICT)).toBe('rotated-token-bbbb');
  });

  it('gives up after one refresh, and does not refresh on other errors', async () => {
    const oauth = fakeOAuth(['t1', 't2', 't3']);
    const cache = new DistrictTokenCache(oauth);
    let runs = 0;
    const unauthorized = () => {
      runs++;
      return Promise.reject(new CleverAuthError('401', { code: 'unauthorized', status: 401 }));
    };
    await expect(withDistrictToken(cache, DISTRICT, unauthorized)).rejects.toBeInstanceOf(CleverAuthError);
    expect(runs).toBe(2);
    expect(oauth.calls).toHaveLength(2);

    runs = 0;
    await expect(
      withDistrictToken(cache, DISTRICT, () => {
        runs++;
        return Promise.reject(new Error('other'));
      }),
    ).rejects.toThrow('other');
    expect(runs).toBe(1);
    expect(oauth.calls).toHaveLength(2);
  });
});
