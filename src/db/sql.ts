// Raw SQL as one function type. Set-based statements (many rows in one statement: upsertRows, the archive of
// unlisted memberships,
// audit batches, staging) take a `Sql`; reads and single-record writes use Prisma. See
// docs/decisions/0005-one-way-into-the-database.md.
import type pg from 'pg';
import type { Prisma } from '../generated/prisma/client';

export type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Raw SQL inside a Prisma interactive transaction (src/db/transaction.ts builds one for every `Tx`). */
export function sqlVia(client: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>): Sql {
  return (text, params = []) => client.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params);
}

/** Raw SQL outside any transaction: each statement commits on its own (a run's status, a lock's lease). */
export function sqlOnPool(pool: Pick<pg.Pool, 'query'>): Sql {
  return async (text, params = []) => (await pool.query(text, params)).rows;
}
