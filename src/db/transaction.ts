// The one way to run a transaction: `inTransaction`. It hands the callback a `Tx` that offers both access
// paths on the same connection — `tx.prisma` for typed reads and single-record writes, `tx.sql` for
// set-based statements — and retries a transaction that lost a race (two first logins of one user, a login
// during a sync): unique-key conflicts (P2002 / 23505), serialization failures and deadlocks
// (P2034 / 40001 / 40P01). A transaction whose statements carry whole pages of a sync as arguments asks for
// `{ bulk: true }`: it runs on a plain node-postgres client of the same pool and offers `tx.sql` only, so no
// page is held by Prisma's query machinery. See docs/decisions/0005-one-way-into-the-database.md.
import type { Prisma } from '../generated/prisma/client';
import type { Database } from './database';
import { sqlOnPool, sqlVia, type Sql } from './sql';

export interface SqlTx {
  sql: Sql;
}

export interface Tx extends SqlTx {
  prisma: Prisma.TransactionClient;
}

export interface TransactionOptions {
  /** Longest the whole transaction may run (ms); in a bulk transaction, each statement. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** A bulk transaction limits each statement rather than the whole transaction (a page may be 10,000 rows). */
const BULK_STATEMENT_TIMEOUT_MS = 60_000;
const RETRYABLE = new Set(['P2002', 'P2034', '23505', '40001', '40P01']);

function codeOf(err: unknown): string | undefined {
  const e = err as {
    code?: string;
    meta?: { code?: string };
    cause?: { code?: string; originalCode?: string };
  };
  return e?.cause?.originalCode ?? e?.meta?.code ?? e?.cause?.code ?? e?.code;
}

export function isRetryableConflict(err: unknown): boolean {
  const code = codeOf(err);
  if (code && RETRYABLE.has(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return /duplicate key value|could not serialize|deadlock detected/.test(message);
}

async function withRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}

export function inTransaction<T>(
  db: Pick<Database, 'prisma'>,
  fn: (tx: Tx) => Promise<T>,
  options?: TransactionOptions,
): Promise<T>;
export function inTransaction<T>(
  db: Pick<Database, 'pool'>,
  options: TransactionOptions & { bulk: true },
  fn: (tx: SqlTx) => Promise<T>,
): Promise<T>;
export function inTransaction<T>(
  db: Partial<Pick<Database, 'prisma' | 'pool'>>,
  a: ((tx: Tx) => Promise<T>) | (TransactionOptions & { bulk: true }),
  b?: TransactionOptions | ((tx: SqlTx) => Promise<T>),
): Promise<T> {
  if (typeof a === 'function') {
    const options = (b ?? {}) as TransactionOptions;
    return withRetry(() =>
      db.prisma!.$transaction((prisma) => a({ prisma, sql: sqlVia(prisma) }), {
        maxWait: 10_000,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      }),
    );
  }
  return withRetry(() =>
    onClient(db.pool!, a.timeoutMs ?? BULK_STATEMENT_TIMEOUT_MS, b as (tx: SqlTx) => Promise<T>),
  );
}

async function onClient<T>(
  pool: Database['pool'],
  timeoutMs: number,
  fn: (tx: SqlTx) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    // A sync reads a district's hot working set, cached in memory: random reads cost about what sequential
    // ones do. With the default (4, for spinning disks) the planner hash-joins a page of keys against every
    // row of a table instead of probing its index (docs/benchmarks.md). JIT compilation is off: a statement of
    // a few tens of milliseconds whose estimate crosses jit_above_cost (any with nested loops turned off, as
    // the archive plan does) spent ~300 ms compiling itself. One round trip with BEGIN (a simple query of
    // several statements; the timeout is an integer written into it): a sync page that changes nothing is
    // three round trips, not four.
    await client.query(
      `BEGIN; SET LOCAL statement_timeout = ${Math.max(0, Math.trunc(timeoutMs))};` +
        ` SET LOCAL random_page_cost = 1.1; SET LOCAL jit = off`,
    );
    const result = await fn({ sql: sqlOnPool(client) });
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
