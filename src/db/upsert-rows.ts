// Set-based writes shared by login provisioning and the district sync. Each call is a fixed number of SQL
// statements whatever the number of rows (one array parameter per column, expanded with unnest), and an
// unchanged row is never written: a repeat with no upstream change writes nothing.
import type { Sql } from './sql';

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

/** The rows deduplicated and in key order, with their keys (`keys[i]` is the key of `rows[i]`) and parameters. */
function prepare(spec: TableSpec, input: Array<Record<string, unknown>>) {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of input) byKey.set(keyOf(row, spec.key), row);
  const sorted = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const keys = sorted.map(([key]) => key);
  const rows = sorted.map(([, row]) => row);
  const names = Object.keys(spec.columns);
  const params = names.map((name) => rows.map((row) => param(row[name], spec.columns[name])));
  const unnest = `unnest(${names.map((n, i) => `$${i + 1}::${castOf(spec.columns[n])}`).join(', ')}) AS i(${names.map((n) => `"${n}"`).join(', ')})`;
  const updatable = names.filter((n) => !spec.key.includes(n) && !(spec.insertOnly ?? []).includes(n));
  return { rows, keys, names, params, unnest, updatable, t: `"${spec.table}"` };
}

export interface UpsertOptions {
  /**
   * Also send unchanged rows through the `INSERT … ON CONFLICT`, which locks them (writing nothing): every row
   * is then locked in key order at once. Login provisioning needs it: two logins sharing students (and the
   * signed-in user's own row, updated later in the transaction) otherwise lock them in different orders and
   * deadlock — three times a minute in `npm run soak` on PostgreSQL.
   */
  lockUnchanged?: boolean;
  /**
   * Rows the caller knows are not in the table yet (the memberships of a user or section this transaction just
   * created): not looked up before the INSERT.
   */
  knownAbsent?: (row: Record<string, unknown>) => boolean;
}

/**
 * Inserts new rows, updates changed ones, restores archived ones (clearing archivedAt), leaves the rest alone.
 * Rows are written in key order so that concurrent logins lock rows in the same order (no deadlocks).
 */
export async function upsertRows(
  sql: Sql,
  spec: TableSpec,
  input: Array<Record<string, unknown>>,
  options: UpsertOptions = {},
): Promise<UpsertResult[]> {
  const prepared = prepare(spec, input);
  const { rows, keys, names, updatable, t } = prepared;
  if (rows.length === 0) return [];
  const keyCols = spec.key.map((k) => `"${k}"`).join(', ');

  // Compare first (a read: no row locks, no dead tuples) and send only new, changed and archived rows to the
  // INSERT; a sync page with no upstream change costs one SELECT (docs/benchmarks.md, no-change re-sync).
  const absent = options.knownAbsent;
  const before = await compareRows(
    sql,
    spec,
    prepared,
    absent ? rows.flatMap((row, i) => (absent(row) ? [] : [i])) : undefined,
  );
  const pending = keys.flatMap((key, i) => {
    const prior = before.get(key);
    const writes = !prior || (prior.writable && (prior.archived || prior.changed));
    return writes || options.lockUnchanged ? [i] : [];
  });

  // The INSERT compares again: a row changed by a concurrent transaction since the SELECT is left alone
  // unless this write still differs from it.
  const changed = updatable.length
    ? `(${updatable.map((n) => `${t}."${n}"`).join(', ')}) IS DISTINCT FROM (${updatable.map((n) => `EXCLUDED."${n}"`).join(', ')}) OR `
    : '';
  const guard = spec.updateGuard ? `(${spec.updateGuard}) AND ` : '';
  const written = pending.length
    ? await sql(
        `INSERT INTO ${t} (${names.map((n) => `"${n}"`).join(', ')}, "lastSeenAt")
     SELECT ${names.map((n) => valueExpr(n, spec.columns[n])).join(', ')}, now() FROM ${prepared.unnest}
     ON CONFLICT (${keyCols}) DO UPDATE SET
       ${[...updatable.map((n) => `"${n}" = EXCLUDED."${n}"`), '"archivedAt" = NULL', '"archiveReason" = NULL', '"lastSeenAt" = now()', '"updatedAt" = now()'].join(', ')}
     WHERE ${guard}(${changed}${t}."archivedAt" IS NOT NULL)
     RETURNING id::text AS id, ${spec.key.map((k) => `"${k}"::text AS "${k}"`).join(', ')}`,
        subset(prepared.params, pending),
      )
    : [];
  const writtenKeys = new Map(written.map((r) => [keyOf(r, spec.key), String(r.id)]));
  // A row another transaction inserted meanwhile (a concurrent login) is neither in `before` nor written.
  const missing = keys.flatMap((key, i) => (!before.has(key) && !writtenKeys.has(key) ? [i] : []));
  const concurrent = new Set<string>();
  if (missing.length) {
    const found = await sql(
      `SELECT t.id::text AS id, ${spec.key.map((k) => `t."${k}"::text AS "${k}"`).join(', ')} FROM ${t} t
        WHERE (${keyCols}) IN (SELECT ${spec.key.map((k) => `i."${k}"`).join(', ')} FROM ${prepared.unnest})`,
      subset(prepared.params, missing),
    );
    for (const r of found) {
      const key = keyOf(r, spec.key);
      before.set(key, { id: String(r.id), archived: false, writable: false, changed: false });
      concurrent.add(key);
    }
  }

  return keys.map((key) => {
    const prior = before.get(key);
    const id = writtenKeys.get(key) ?? prior?.id ?? '';
    let outcome: Outcome = 'unchanged';
    if (!prior) outcome = 'created';
    else if (!concurrent.has(key) && writtenKeys.has(key)) outcome = prior.archived ? 'restored' : 'updated';
    return { id, key, outcome };
  });
}

interface Existing {
  id: string;
  archived: boolean;
  /** The table's update guard lets this write through. */
  writable: boolean;
  /** Some updatable column differs from the incoming row. */
  changed: boolean;
}

const subset = (params: unknown[][], indexes: number[]) => params.map((col) => indexes.map((i) => col[i]));

/**
 * The rows of `prepared` (those at `indexes`, if given) already in the table, compared with what would be
 * written (one SELECT).
 */
async function compareRows(
  sql: Sql,
  spec: TableSpec,
  prepared: ReturnType<typeof prepare>,
  indexes?: number[],
): Promise<Map<string, Existing>> {
  if (indexes?.length === 0) return new Map();
  const { unnest, updatable, t } = prepared;
  const params = indexes ? subset(prepared.params, indexes) : prepared.params;
  const differs = updatable.length
    ? `(${updatable.map((n) => `${t}."${n}"`).join(', ')}) IS DISTINCT FROM (${updatable.map((n) => valueExpr(n, spec.columns[n])).join(', ')})`
    : 'false';
  const found = await sql(
    `SELECT ${t}.id::text AS id, ${spec.key.map((k) => `i."${k}"::text AS "${k}"`).join(', ')},
            ${t}."archivedAt" IS NOT NULL AS archived, (${spec.updateGuard ?? 'true'}) AS writable, ${differs} AS changed
       FROM ${unnest} JOIN ${t} ON ${spec.key.map((k) => `${t}."${k}" = i."${k}"`).join(' AND ')}`,
    params,
  );
  return new Map(
    found.map((r) => [
      keyOf(r, spec.key),
      {
        id: String(r.id),
        archived: Boolean(r.archived),
        writable: Boolean(r.writable),
        changed: Boolean(r.changed),
      },
    ]),
  );
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
  const prepared = prepare(spec, input);
  if (prepared.rows.length === 0) return [];
  const existing = await compareRows(sql, spec, prepared);
  return prepared.keys.map((key) => {
    const prior = existing.get(key);
    if (!prior) return { id: '', key, outcome: 'created' as Outcome };
    let outcome: Outcome = 'unchanged';
    if (prior.writable && prior.archived) outcome = 'restored';
    else if (prior.writable && prior.changed) outcome = 'updated';
    return { id: prior.id, key, outcome };
  });
}
