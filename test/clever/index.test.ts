import {
  createCleverClients,
  CleverDataClient,
  DistrictTokenCache,
  CleverOAuthClient,
} from '../../src/clever/clever-clients';
import * as fx from './fixtures/appendix-a';
import { listEnvelope, sendJson, startFakeClever, type FakeClever } from './helpers/fake-clever';

let server: FakeClever | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('createCleverClients', () => {
  it('wires oauth, the district token cache and data clients to one configured transport', async () => {
    server = await startFakeClever((req, res) =>
      req.url.startsWith('/oauth/tokens')
        ? sendJson(res, 200, fx.districtTokenList)
        : sendJson(res, 200, listEnvelope([fx.school], 'schools', [])),
    );
    const calls: string[] = [];
    const clever = createCleverClients({
      apiUrl: server.url,
      oauthUrl: server.url,
      version: 'v3.1',
      clientId: 'id',
      clientSecret: 'secret',
      http: { onRequest: (info) => calls.push(info.path) },
    });
    expect(clever.oauth).toBeInstanceOf(CleverOAuthClient);
    expect(clever.tokens).toBeInstanceOf(DistrictTokenCache);
    const token = await clever.tokens.get(fx.DISTRICT_ID);
    const client = clever.dataClient(token, { pageSize: 5 });
    expect(client).toBeInstanceOf(CleverDataClient);
    const names: Array<string | null | undefined> = [];
    for await (const school of client.schools()) names.push(school.name);
    expect(names).toEqual(['Pineapple Elementary School']);
    expect(calls).toEqual([
      `/oauth/tokens?owner_type=district&district=${fx.DISTRICT_ID}`,
      '/v3.1/schools?limit=5',
    ]);
    expect(server.requests[1].headers.authorization).toBe(
      `Bearer ${fx.districtTokenList.data[0].access_token}`,
    );
  });
});
