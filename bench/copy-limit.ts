// The database's own bulk-load limit: the rows a sync wrote, loaded straight into the same tables of an empty
// migrated database (same indexes, constraints and foreign keys) with COPY. PostgreSQL: `COPY … FROM STDIN`
// through node-postgres (pg-copy-streams). PGlite: its native `COPY … FROM '/dev/blob'` on the PGlite API
// (the node-postgres shim has no COPY sub-protocol). Only the load is timed, not reading the source.
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { DatabaseLocation } from './harness';

/** Parents before children, so foreign keys hold row by row. */
const TABLES = [
  'District',
  'School',
  'Term',
  'Course',
  'User',
  'Section',
  'SchoolMembership',
  'SectionMembership',
];

export interface CopyResult {
  ms: number;
  rows: number;
  method: string;
}

export async function measureCopy(source: DatabaseLocation, target: DatabaseLocation): Promise<CopyResult> {
  return source.backend === 'postgres' ? copyPostgres(source.url!, target.url!) : copyPglite(source, target);
}

async function copyPostgres(sourceUrl: string, targetUrl: string): Promise<CopyResult> {
  const dumps = new Map<string, Buffer>();
  const src = new pg.Client({ connectionString: sourceUrl });
  await src.connect();
  let rows = 0;
  try {
    for (const table of TABLES) {
      const chunks: Buffer[] = [];
      const stream = src.query(copyTo(`COPY "${table}" TO STDOUT`));
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      dumps.set(table, Buffer.concat(chunks));
      rows += Number((await src.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n);
    }
  } finally {
    await src.end();
  }
  const dst = new pg.Client({ connectionString: targetUrl });
  await dst.connect();
  try {
    const start = performance.now();
    for (const table of TABLES) {
      const sink = dst.query(copyFrom(`COPY "${table}" FROM STDIN`));
      await pipeline(async function* () {
        yield dumps.get(table)!;
      }, sink);
    }
    return { ms: performance.now() - start, rows, method: 'COPY FROM STDIN (pg-copy-streams)' };
  } finally {
    await dst.end();
  }
}

async function copyPglite(source: DatabaseLocation, target: DatabaseLocation): Promise<CopyResult> {
  const blobs = new Map<string, Blob>();
  let rows = 0;
  const src = new PGlite(path.join(source.dataDir!, 'pglite'));
  try {
    for (const table of TABLES) {
      const result = await src.query(`COPY "${table}" TO '/dev/blob'`);
      blobs.set(table, result.blob!);
      const count = await src.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
      rows += count.rows[0].n;
    }
  } finally {
    await src.close();
  }
  const dst = new PGlite(path.join(target.dataDir!, 'pglite'));
  try {
    await dst.waitReady;
    const start = performance.now();
    for (const table of TABLES) {
      await dst.query(`COPY "${table}" FROM '/dev/blob'`, [], { blob: blobs.get(table) });
    }
    return { ms: performance.now() - start, rows, method: "PGlite COPY FROM '/dev/blob'" };
  } finally {
    await dst.close();
  }
}
