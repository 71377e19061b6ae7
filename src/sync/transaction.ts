// One short transaction per page: PGlite runs one statement at a time for the whole app, so a long
// transaction would hold up every login (../shared/notes/embedded-postgres.md §4, §8).
import type { Database } from '../db/database';
import { sqlVia, type Sql } from '../provisioning/bulk-upsert';
import { withTransactionRetry } from '../provisioning/transaction';

export function inTransaction<T>(db: Database, fn: (sql: Sql) => Promise<T>): Promise<T> {
  return withTransactionRetry(() =>
    db.prisma.$transaction((tx) => fn(sqlVia(tx)), { maxWait: 15_000, timeout: 60_000 }),
  );
}
