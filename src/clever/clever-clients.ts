import { CleverDataClient, type CleverDataClientOptions } from './data-api';
import { DistrictTokenCache } from './district-tokens';
import { CleverHttp, type CleverApiVersion, type CleverHttpOptions } from './http';
import { CleverOAuthClient } from './oauth';

export * from './clever-types';
export * from './clever-errors';
export * from './http';
export * from './data-api';
export * from './oauth';
export * from './district-tokens';
export { paginate, resolveLink, type OnInvalidRecord, type PaginateOptions } from './pagination';
export { optionalString, optionalStringList, requiredId } from './schema-helpers';

export interface CleverClientsConfig {
  apiUrl: string;
  oauthUrl: string;
  version: CleverApiVersion;
  clientId: string;
  clientSecret: string;
  /** Transport tuning (timeouts, retries, onRequest hook, test seams). */
  http?: Omit<CleverHttpOptions, 'apiUrl' | 'oauthUrl' | 'version'>;
  tokenTtlMs?: number;
  /** Defaults for every data client (page size, onInvalid). */
  data?: CleverDataClientOptions;
}

export interface CleverClients {
  http: CleverHttp;
  oauth: CleverOAuthClient;
  tokens: DistrictTokenCache;
  dataClient(token: string, options?: CleverDataClientOptions): CleverDataClient;
}

/** One transport shared by the OAuth client, the district-token cache and every data client. */
export function createCleverClients(config: CleverClientsConfig): CleverClients {
  const http = new CleverHttp({
    ...config.http,
    apiUrl: config.apiUrl,
    oauthUrl: config.oauthUrl,
    version: config.version,
  });
  const oauth = new CleverOAuthClient({ http, clientId: config.clientId, clientSecret: config.clientSecret });
  const tokens = new DistrictTokenCache(oauth, { ttlMs: config.tokenTtlMs });
  return {
    http,
    oauth,
    tokens,
    dataClient: (token, options) => new CleverDataClient(http, token, { ...config.data, ...options }),
  };
}
