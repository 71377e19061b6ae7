export interface SandboxStats {
  total: number;
  /** Exact request paths without the query, e.g. `/v3.0/users/58da…/sections`. */
  byPath: Record<string, number>;
  /** Version-less paths with ids replaced by `{id}`, e.g. `/users/{id}/sections`, `/oauth/tokens`. */
  byEndpoint: Record<string, number>;
  /** Bearer tokens (district or SSO) and `basic:<client id>` for the OAuth host. */
  byToken: Record<string, number>;
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

export function endpointOf(path: string): string {
  return path
    .replace(/^\/v3\.[01](?=\/|$)/, '')
    .split('/')
    .map((part) => (OBJECT_ID.test(part) ? '{id}' : part))
    .join('/');
}

/** Counts requests so tests can assert how many Clever calls the app made. */
export class StatsRecorder {
  private stats: SandboxStats = { total: 0, byPath: {}, byEndpoint: {}, byToken: {} };

  record(path: string, token: string | undefined): void {
    const s = this.stats;
    s.total++;
    s.byPath[path] = (s.byPath[path] ?? 0) + 1;
    const endpoint = endpointOf(path);
    s.byEndpoint[endpoint] = (s.byEndpoint[endpoint] ?? 0) + 1;
    if (token) s.byToken[token] = (s.byToken[token] ?? 0) + 1;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = { total: 0, byPath: {}, byEndpoint: {}, byToken: {} };
  }
}
