// Opaque keyset cursors: the sort key of the last row shown, base64url-encoded JSON. A tampered cursor is a
// bad request, never a different query.
import { AppError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The sort key of the last row, ending with its id (a UUID). */
export function encodeCursor(values: Array<string | null>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values of a cursor made by encodeCursor, or null for the first page. */
export function decodeCursor(cursor: string | undefined, length: number): Array<string | null> | null {
  if (!cursor) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every((v) => v === null || (typeof v === 'string' && v.length <= 1000)) &&
      UUID.test(String(values[length - 1]))
    ) {
      return values as Array<string | null>;
    }
  } catch {
    // fall through
  }
  throw new AppError('bad_request', 'This page link is not valid any more. Start again from the first page.');
}

/**
 * "Rows after this one" for ORDER BY a NULLS LAST, b NULLS LAST, ..., id — as a Prisma filter, so that
 * the index on the sort columns serves it (no OFFSET scans).
 */
export function keysetAfter(fields: string[], values: Array<string | null>, id: string): object {
  let rest: object = { id: { gt: id } };
  for (let i = fields.length - 1; i >= 0; i--) {
    const field = fields[i]!;
    const value = values[i];
    rest =
      value === null || value === undefined
        ? { AND: [{ [field]: null }, rest] }
        : { OR: [{ [field]: { gt: value } }, { [field]: null }, { AND: [{ [field]: value }, rest] }] };
  }
  return rest;
}
