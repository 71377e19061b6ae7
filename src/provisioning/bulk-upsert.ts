// Set-based writes shared by login provisioning and the district sync. Each call is a fixed number of SQL
// statements whatever the number of rows (one array parameter per column, expanded with unnest), and an
// unchanged row is never written: a repeat with no upstream change writes nothing.
import type { PoolClient } from 'pg';
import type { Prisma } from '../generated/prisma/client';

export type Sql = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Runs raw SQL through Prisma (inside its transaction when given one). */
export function sqlVia(client: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>): Sql {
  return (text, params = []) => client.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params);
}

/** `enum:<Type>` casts text to a Postgres enum type (e.g. `enum:SectionRole`). */
/** Runs raw SQL on one node-postgres client (inside the transaction that client has open). */
export function sqlViaClient(client: Pick<PoolClient, 'query'>): Sql {
  return async (text, params = []) => (await client.query(text, params)).rows;
}

export type ColumnType = 'text' | 'uuid' | 'bool' | 'timestamptz' | 'roles' | 'float8' | `enum:${string}`;

export interface TableSpec {
  table: string;
  /** Natural key columns (unique): ["cleverId"] or ["sectionId", "userId"]. */
  key: string[];
  /** Every written column with its type, key columns included. */
  columns: Record<string, ColumnType>;
  /** Extra condition on the existing row for an update to happen (e.g. sync never touches local users). */
  updateGuard?: string;
  /** Columns set on insert only (e.g. districtId of a user). */
  insertOnly?: string[];
}

export type Outcome = 'created' | 'updated' | 'restored' | 'unchanged';

export interface UpsertResult {
  id: string;
  key: string;
  outcome: Outcome;
}

const CAST: Record<string, string> = {
  text: 'text[]',
  uuid: 'uuid[]',
  bool: 'boolean[]',
  timestamptz: 'timestamptz[]',
  // Arrays of arrays do not survive unnest: roles travel as comma-separated text.
  roles: 'text[]',
  float8: 'float8[]',
};
const castOf = (type: ColumnType): string => CAST[type] ?? 'text[]';

function valueExpr(column: string, type: ColumnType): string {
  if (type === 'roles') return `coalesce(string_to_array(i."${column}", ','), '{}')::"Role"[]`;
  if (type.startsWith('enum:')) return `i."${column}"::"${type.slice(5)}"`;
  return `i."${column}"`;
}

function param(value: unknown, type: ColumnType): unknown {
  if (value == null) return null;
  if (type === 'roles') return (value as string[]).join(',');
  if (value instanceof Date) return value.toISOString();
  return value;
}

export const keyOf = (row: Record<string, unknown>, key: string[]): string =>
  key.map((k) => String(row[k])).join('|');

/**
 * Inserts new rows, updates changed ones, restores archived ones (clearing archivedAt), leaves the rest alone.
 * Rows are written in key order so that concurrent logins lock rows in the same order (no deadlocks).
 */
function prepare(spec: TableSpec, input: Array<Record<string, unknown>>) {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of input) byKey.set(keyOf(row, spec.key), row);
  const rows = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  const names = Object.keys(spec.columns);
  const params = names.map((name) => rows.map((row) => param(row[name], spec.columns[name])));
  const unnest = `unnest(${names.map((n, i) => `$${i + 1}::${castOf(spec.columns[n])}`).join(', ')}) AS i(${names.map((n) => `"${n}"`).join(', ')})`;
  const updatable = names.filter((n) => !spec.key.includes(n) && !(spec.insertOnly ?? []).includes(n));
  return { rows, names, params, unnest, updatable, t: `"${spec.table}"` };
}

export async function upsertRows(
  sql: Sql,
  spec: TableSpec,
  input: Array<Record<string, unknown>>,
): Promise<UpsertResult[]> {
  const { rows, names, params, unnest, updatable, t } = prepare(spec, input);
  if (rows.length === 0) return [];
  const keyCols = spec.key.map((k) => `"${k}"`).join(', ');

  // Which rows exist already, and which of them are archived (a write to those is a restore).
  const existing = await sql(
    `SELECT t.id::text AS id, ${spec.key.map((k) => `t."${k}"::text AS "${k}"`).join(', ')}, t."archivedAt" IS NOT NULL AS archived
       FROM ${t} t JOIN (SELECT DISTINCT ${spec.key.map((k) => `i."${k}"`).join(', ')} FROM ${unnest}) k
         ON ${spec.key.map((k) => `t."${k}" = k."${k}"`).join(' AND ')}`,
    params,
  );
  const before = new Map(existing.map((r) => [keyOf(r, spec.key), r]));

  const changed = updatable.length
    ? `(${updatable.map((n) => `${t}."${n}"`).join(', ')}) IS DISTINCT FROM (${updatable.map((n) => `EXCLUDED."${n}"`).join(', ')}) OR `
    : '';
  const guard = spec.updateGuard ? `(${spec.updateGuard}) AND ` : '';
  const written = await sql(
    `INSERT INTO ${t} (${names.map((n) => `"${n}"`).join(', ')}, "lastSeenAt")
     SELECT ${names.map((n) => valueExpr(n, spec.columns[n])).join(', ')}, now() FROM ${unnest}
     ON CONFLICT (${keyCols}) DO UPDATE SET
       ${[...updatable.map((n) => `"${n}" = EXCLUDED."${n}"`), '"archivedAt" = NULL', '"archiveReason" = NULL', '"lastSeenAt" = now()', '"updatedAt" = now()'].join(', ')}
     WHERE ${guard}(${changed}${t}."archivedAt" IS NOT NULL)
     RETURNING id::text AS id, ${spec.key.map((k) => `"${k}"::text AS "${k}"`).join(', ')}`,
    params,
  );
  const writtenKeys = new Map(written.map((r) => [keyOf(r, spec.key), String(r.id)]));
  // A row another transaction inserted meanwhile (a concurrent login) is neither in `before` nor written.
  const missing = rows.filter(
    (row) => !before.has(keyOf(row, spec.key)) && !writtenKeys.has(keyOf(row, spec.key)),
  );
  if (missing.length) {
    const found = await sql(
      `SELECT t.id::text AS id, ${spec.key.map((k) => `t."${k}"::text AS "${k}"`).join(', ')} FROM ${t} t
        WHERE (${keyCols}) IN (SELECT ${spec.key.map((k) => `i."${k}"`).join(', ')} FROM ${unnest})`,
      params,
    );
    for (const r of found) before.set(keyOf(r, spec.key), { ...r, archived: false, concurrent: true });
  }

  return rows.map((row) => {
    const key = keyOf(row, spec.key);
    const prior = before.get(key);
    const id = writtenKeys.get(key) ?? (prior ? String(prior.id) : '');
    let outcome: Outcome = 'unchanged';
    if (!prior || prior.concurrent) outcome = prior ? 'unchanged' : 'created';
    else if (writtenKeys.has(key)) outcome = prior.archived ? 'restored' : 'updated';
    return { id, key, outcome };
  });
}

/**
 * What `upsertRows` would do with these rows, without writing anything (a sync's dry run): the same
 * comparison, guard and outcomes. Rows not in the table yet come back as `created` with an empty id.
 */
export async function previewRows(
  sql: Sql,
  spec: TableSpec,
  input: Array<Record<string, unknown>>,
): Promise<UpsertResult[]> {
  const { rows, params, unnest, updatable, t } = prepare(spec, input);
  if (rows.length === 0) return [];
  const differs = updatable.length
    ? `(${updatable.map((n) => `${t}."${n}"`).join(', ')}) IS DISTINCT FROM (${updatable.map((n) => valueExpr(n, spec.columns[n])).join(', ')})`
    : 'false';
  const guard = spec.updateGuard ?? 'true';
  const found = await sql(
    `SELECT ${t}.id::text AS id, ${spec.key.map((k) => `i."${k}"::text AS "${k}"`).join(', ')},
            ${t}."archivedAt" IS NOT NULL AS archived, (${guard}) AS writable, ${differs} AS changed
       FROM ${unnest} JOIN ${t} ON ${spec.key.map((k) => `${t}."${k}" = i."${k}"`).join(' AND ')}`,
    params,
  );
  const existing = new Map(found.map((r) => [keyOf(r, spec.key), r]));
  return rows.map((row) => {
    const key = keyOf(row, spec.key);
    const prior = existing.get(key);
    if (!prior) return { id: '', key, outcome: 'created' as Outcome };
    let outcome: Outcome = 'unchanged';
    if (prior.writable && prior.archived) outcome = 'restored';
    else if (prior.writable && prior.changed) outcome = 'updated';
    return { id: String(prior.id), key, outcome };
  });
}

/** Archives rows matching `where` (which must name the owning record) that are not in `keepIds`. */
export async function archiveExcept(
  sql: Sql,
  table: string,
  where: { column: string; value: string },
  keepIds: string[],
  reason: string,
): Promise<string[]> {
  if (!where.value) throw new Error(`archiveExcept(${table}) needs a ${where.column}`);
  const rows = await sql(
    `UPDATE "${table}" SET "archivedAt" = now(), "archiveReason" = $3, "updatedAt" = now()
      WHERE "${where.column}" = $1::uuid AND "archivedAt" IS NULL AND NOT (id = ANY($2::uuid[]))
      RETURNING id::text AS id`,
    [where.value, keepIds, reason],
  );
  return rows.map((r) => String(r.id));
}
