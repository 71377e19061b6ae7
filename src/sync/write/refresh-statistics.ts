// After a full sync that loaded a large share of a table — a district's first sync above all — the planner's
// statistics for the columns the sync looks rows up by are refreshed at once. PostgreSQL advises running
// ANALYZE after loading data (https://www.postgresql.org/docs/current/populate.html#POPULATE-ANALYZE):
// autovacuum would get to it within minutes on a server, and the embedded database (PGlite: no autovacuum)
// never would. Without statistics the planner took a district of 53,000 users for a few hundred rows and read
// the whole district for each page of the next sync's lookups (docs/benchmarks.md).
import type { Logger } from '../../logger';
import type { Database } from '../../db/database';
import { inTransaction } from '../../db/transaction';
import { SYNC_RECORD_TYPES, type RunCounts, type SyncRecordType } from '../plan/counts';

/** The tables behind each record type and the columns a sync finds their rows by. */
const LOOKUP_COLUMNS: Record<SyncRecordType, Record<string, string[]>> = {
  school: { School: ['cleverId', 'districtId', 'archivedAt'] },
  term: { Term: ['cleverId', 'districtId', 'archivedAt'] },
  course: { Course: ['cleverId', 'districtId', 'archivedAt'] },
  user: {
    User: ['cleverId', 'districtId', 'archivedAt', 'managedBy', 'emailNormalized'],
    SyncDigest: ['recordId'],
  },
  section: { Section: ['cleverId', 'districtId', 'archivedAt'], SyncDigest: ['recordId'] },
  school_membership: { SchoolMembership: ['userId', 'schoolId', 'archivedAt'] },
  section_membership: { SectionMembership: ['sectionId', 'userId', 'archivedAt'] },
};

/**
 * The tables whose rows this run wrote more than 50 + 10% of (autovacuum's default threshold for analyzing a
 * table), with the columns to analyze.
 */
export function tablesToRefresh(counts: RunCounts): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const type of SYNC_RECORD_TYPES) {
    const c = counts[type];
    const written = c.created + c.updated + c.restored + c.archived;
    if (written <= 50 + 0.1 * (written + c.unchanged)) continue;
    for (const [table, columns] of Object.entries(LOOKUP_COLUMNS[type]))
      tables.set(table, [...new Set([...(tables.get(table) ?? []), ...columns])]);
  }
  return tables;
}

/**
 * ANALYZE of those columns with a sample of 3,000 rows a table (`default_statistics_target` 10): ~0.1 s after
 * an initial sync of 50,000 students on PostgreSQL. Naming the columns leaves the table's count of changes
 * since its last analysis alone, so autovacuum still analyzes the whole table in full on a server. PostgreSQL
 * skips a table the role does not own with a warning; any failure is logged and changes nothing else.
 */
export async function refreshStatistics(
  db: Pick<Database, 'pool'>,
  counts: RunCounts,
  logger: Logger,
): Promise<void> {
  const tables = tablesToRefresh(counts);
  if (tables.size === 0) return;
  const list = [...tables]
    .map(([table, columns]) => `"${table}" (${columns.map((c) => `"${c}"`).join(', ')})`)
    .join(', ');
  try {
    await inTransaction(db, { bulk: true }, async ({ sql }) => {
      await sql(`SET LOCAL default_statistics_target = 10`);
      await sql(`ANALYZE ${list}`);
    });
  } catch (err) {
    logger.warn({ err, tables: [...tables.keys()] }, 'could not refresh planner statistics after a sync');
  }
}
