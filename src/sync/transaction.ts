// One short transaction per page: PGlite runs one statement at a time for the whole app, so a long
// transaction would hold up every login (../shared/notes/embedded-postgres.md §4, §8).
// The sync's set-based SQL runs on a plain node-postgres client from the app's one pool rather than through
// Prisma: Prisma's debug history keeps the arguments of its last calls, and a sync's arguments are whole pages
// (docs/benchmarks.md, "Where the time goes").
import type { Database } from '../db/database';
import { sqlViaClient, type Sql } from '../provisioning/bulk-upsert';
import { withTransactionRetry } from '../provisioning/transaction';

const STATEMENT_TIMEOUT_MS = 60_000;

export function inTransaction<T>(db: Database, fn: (sql: Sql) => Promise<T>): Promise<T> {
  return withTransactionRetry(async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
      const result = await fn(sqlViaClient(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  });
}
