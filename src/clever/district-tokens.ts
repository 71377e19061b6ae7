import { CleverAuthError } from './clever-errors';
import type { CleverOAuthClient } from './oauth';

export interface DistrictTokenCacheOptions {
  /** How long a looked-up token is reused before asking Clever again. Default 15 minutes. */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  promise: Promise<string>;
  expiresAt: number;
}

/**
 * District-app tokens, kept in memory only (never in the database, session or logs).
 * NOTE: Clever recommends storing the district id and looking the token up at sync time, because the active
 * token is always returned even after a rotation (clever-api.md §2.5, security-checklist.md §1.7).
 */
export class DistrictTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly oauth: Pick<CleverOAuthClient, 'districtToken'>,
    options: DistrictTokenCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Concurrent callers share one lookup; a failed lookup is not cached. */
  get(districtId: string): Promise<string> {
    const cached = this.entries.get(districtId);
    if (cached && cached.expiresAt > this.now()) return cached.promise;

    const promise = this.oauth.districtToken(districtId).then((token) => token.accessToken);
    const entry = { promise, expiresAt: this.now() + this.ttlMs };
    this.entries.set(districtId, entry);
    promise.catch(() => {
      if (this.entries.get(districtId) === entry) this.entries.delete(districtId);
    });
    return promise;
  }

  invalidate(districtId: string): void {
    this.entries.delete(districtId);
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Runs `fn` with the district's token. On a 401 the token was revoked or rotated: drop it, look it up once
 * more and run `fn` once more (security-checklist.md §4.3). `fn` must therefore be safe to repeat.
 */
export async function withDistrictToken<T>(
  cache: DistrictTokenCache,
  districtId: string,
  fn: (token: string) => Promise<T>,
): Promise<T> {
  const token = await cache.get(districtId);
  try {
    return await fn(token);
  } catch (error) {
    if (!(error instanceof CleverAuthError)) throw error;
    cache.invalidate(districtId);
    return fn(await cache.get(districtId));
  }
}
