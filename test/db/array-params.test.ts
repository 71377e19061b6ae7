// Array parameters of raw SQL (every set-based write: one array per column) reach PostgreSQL element for
// element, whatever the text holds: quotes, backslashes, commas, braces, the word NULL, empty strings, nulls.
import { inTransaction } from '../../src/db/transaction';
import { sqlOnPool } from '../../src/db/sql';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db';

const TRICKY = [
  "O'Brien",
  'say "hi"',
  'back\\slash',
  'a,b',
  '{braces}',
  'NULL',
  '',
  ' spaced ',
  'Zoë 学生',
  null,
  '\\"',
];

describe(`array parameters on ${backend}`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('round-trip every element exactly, in either kind of transaction and on the pool', async () => {
    const read = `SELECT v, o FROM unnest($1::text[]) WITH ORDINALITY AS i(v, o) ORDER BY o`;
    const viaPrisma = await inTransaction(db, ({ sql }) => sql(read, [TRICKY]));
    const viaBulk = await inTransaction(db, { bulk: true }, ({ sql }) => sql(read, [TRICKY]));
    const onPool = await sqlOnPool(db.pool)(read, [TRICKY]);
    for (const rows of [viaPrisma, viaBulk, onPool]) expect(rows.map((r) => r.v)).toEqual(TRICKY);
  });

  it('carry numbers, booleans, dates, uuids and empty arrays', async () => {
    const when = new Date('2026-12-06T01:02:03.456Z');
    const [row] = await sqlOnPool(db.pool)(
      `SELECT $1::int[] AS ints, $2::boolean[] AS flags, $3::timestamptz[] AS times, $4::uuid[] AS ids,
              cardinality($5::text[]) AS empty`,
      [[1, null, -3], [true, false, null], [when, null], ['00000000-0000-4000-8000-000000000001'], []],
    );
    expect(row.ints).toEqual([1, null, -3]);
    expect(row.flags).toEqual([true, false, null]);
    expect((row.times as Array<Date | null>).map((t) => t?.toISOString() ?? null)).toEqual([
      when.toISOString(),
      null,
    ]);
    expect(row.ids).toEqual(['00000000-0000-4000-8000-000000000001']);
    expect(row.empty).toBe(0);
  });
});
