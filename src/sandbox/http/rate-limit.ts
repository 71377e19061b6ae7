import type { Response } from 'express';

// NOTE: 1200 requests per minute per bearer token, fixed window; X-RateLimit-* on every answer and an
// empty-bodied 429 when exhausted (https://dev.clever.com/docs/error-messages).

export class RateLimiter {
  private readonly windows = new Map<string, { window: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** Counts one request, sets the headers, and says whether it may proceed. */
  take(token: string, res: Response): boolean {
    const window = Math.floor(this.now() / 60_000);
    let entry = this.windows.get(token);
    if (!entry || entry.window !== window) {
      entry = { window, count: 0 };
      this.windows.set(token, entry);
    }
    entry.count++;
    res.setHeader('X-RateLimit-Limit', String(this.limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, this.limit - entry.count)));
    res.setHeader('X-RateLimit-Reset', String((window + 1) * 60));
    res.setHeader('X-RateLimit-Bucket', 'bearer');
    return entry.count <= this.limit;
  }

  reset(): void {
    this.windows.clear();
  }
}
