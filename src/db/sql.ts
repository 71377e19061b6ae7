// Raw SQL as one function type. Set-based statements (many rows in one statement: upsertRows, the archive of
// unlisted memberships,
// audit batches, staging) take a `Sql`; reads and single-record writes use Prisma. See
// docs/decisions/0005-one-way-into-the-database.md.
import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client';

export type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Raw SQL inside a Prisma interactive transaction (src/db/transaction.ts builds one for every `Tx`). */
export function sqlVia(client: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>): Sql {
  return (text, params = []) =>
    client.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params.map(arrayParam));
}

/** Raw SQL outside any transaction: each statement commits on its own (a run's status, a lock's lease). */
export function sqlOnPool(pool: Pick<pg.Pool, 'query'>): Sql {
  return async (text, params = []) => (await pool.query(text, params.map(arrayParam))).rows;
}

const NEEDS_ESCAPE = /["\\]/;

/**
 * An array parameter as a PostgreSQL array literal (`{"a","b",NULL}`), which the statement casts
 * (`$1::text[]`, `$2::uuid[]`): the same text node-postgres would send, built with one `join` instead of
 * node-postgres's element-by-element concatenation, which allocated ~0.8 GB in an initial sync of 50,000
 * students — a quarter of everything the sync allocated, and much of its garbage collection
 * (docs/benchmarks.md). Arrays of anything but strings, numbers, booleans, dates and nulls are passed as they
 * are.
 */
export function arrayParam(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  let plain = true;
  for (const element of value as unknown[]) {
    if (typeof element !== 'string' || NEEDS_ESCAPE.test(element)) {
      plain = false;
      break;
    }
  }
  if (plain) return value.length === 0 ? '{}' : `{"${(value as string[]).join('","')}"}`;
  const parts: string[] = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) {
    const element: unknown = value[i];
    if (element === null || element === undefined) parts[i] = 'NULL';
    else if (typeof element === 'number' || typeof element === 'boolean' || typeof element === 'bigint')
      parts[i] = String(element);
    else if (typeof element === 'string' || element instanceof Date) {
      const text = typeof element === 'string' ? element : element.toISOString();
      parts[i] = `"${NEEDS_ESCAPE.test(text) ? text.replace(/["\\]/g, '\\$&') : text}"`;
    } else return value;
  }
  return `{${parts.join(',')}}`;
}
