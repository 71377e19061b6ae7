// Bounded concurrency for a full sync's page transactions (full-sync.ts).
/**
 * Writes pages on up to `limit` connections at once, each page in its own transaction: on PostgreSQL a page's
 * statements keep one server process busy, and the next page need not wait for it (docs/benchmarks.md, B3).
 * Pages of one collection touch different rows (each record is on one page), and every write of a page is
 * safe against a concurrent transaction (the same guarantees as concurrent logins). On PGlite (one connection)
 * the full sync asks for one page at a time. After a failure no new page starts; `drain` waits for
 * those in flight and throws the first failure.
 */
export class PageWriters {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(private readonly limit: number) {}

  async add(write: () => Promise<void>): Promise<void> {
    this.throwIfFailed();
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const running: Promise<void> = write()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Waits for the pages in flight, whatever their outcome. */
  async settle(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  async drain(): Promise<void> {
    await this.settle();
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
