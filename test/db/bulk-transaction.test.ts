// A bulk transaction (a sync page): each statement is limited by the transaction's timeout, the planner is told
// the district's data is cached (random_page_cost 1.1) and JIT is off — inside the transaction only.
import { inTransaction } from '../../src/db/transaction';
import { sqlOnPool } from '../../src/db/sql';
import { backend, createTestDatabase, type TestDatabase } from '../helpers/db';

describe(`bulk transactions on ${backend}`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  const settings = `SELECT current_setting('statement_timeout') AS timeout,
                           current_setting('random_page_cost') AS cost, current_setting('jit') AS jit`;

  it('applies its settings to its own statements and leaves the connection as it was', async () => {
    const before = await sqlOnPool(db.pool)(settings);
    const [inside] = await inTransaction(db, { bulk: true, timeoutMs: 4321 }, ({ sql }) => sql(settings));
    expect(inside).toEqual({ timeout: '4321ms', cost: '1.1', jit: 'off' });
    // The pool has one connection on PGlite and hands this one back on PostgreSQL: nothing stays set.
    expect(await sqlOnPool(db.pool)(settings)).toEqual(before);
  });

  it('writes what its function wrote, and nothing when the function fails', async () => {
    await sqlOnPool(db.pool)(`CREATE TABLE bulk_probe (v int)`);
    await inTransaction(db, { bulk: true }, ({ sql }) => sql(`INSERT INTO bulk_probe VALUES (1)`));
    await expect(
      inTransaction(db, { bulk: true }, async ({ sql }) => {
        await sql(`INSERT INTO bulk_probe VALUES (2)`);
        throw new Error('page failed');
      }),
    ).rejects.toThrow('page failed');
    const rows = await sqlOnPool(db.pool)(`SELECT v FROM bulk_probe ORDER BY v`);
    expect(rows.map((r) => r.v)).toEqual([1]);
  });
});
