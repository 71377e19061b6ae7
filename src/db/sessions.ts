// Ends every session of the given users (an archived user must not stay signed in).
import type { Database } from './database';

export async function endSessionsOf(db: Database, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const result = await db.pool.query(
    `DELETE FROM "session" WHERE sess->'passport'->>'user' = ANY($1::text[])`,
    [userIds],
  );
  return result.rowCount ?? 0;
}
