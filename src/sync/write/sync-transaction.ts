// One short transaction per page: PGlite runs one statement at a time for the whole app, so a long
// transaction would hold up every login.
// The sync's set-based SQL runs on a plain node-postgres client from the app's one pool rather than through
// Prisma: Prisma's debug history keeps the arguments of its last calls, and a sync's arguments are whole pages
// (docs/benchmarks.md, "Where the time goes").
import type { Database } from '../../db/database';
import { sqlViaClient, type Sql } from '../../db/upsert-rows';
import { withTransactionRetry } from '../../db/transaction';

const STATEMENT_TIMEOUT_MS = 60_000;

export function inTransaction<T>(db: Database, fn: (sql: Sql) => Promise<T>): Promise<T> {
  return withTransactionRetry(async () => {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      // A sync reads a district's hot working set, cached in memory: random reads cost about what sequential
      // ones do. With the default (4, for spinning disks) the planner hash-joins a page of 1,000 keys against
      // every row of the table instead of probing the index — 7× slower at 50k students (docs/benchmarks.md).
      await client.query(
        `SELECT set_config('statement_timeout', '${STATEMENT_TIMEOUT_MS}', true), set_config('random_page_cost', '1.1', true)`,
      );
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
