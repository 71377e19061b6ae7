// An in-process pg.Pool backed by PGlite, so Prisma (adapter-pg), the session store and pg-boss all use
// node-postgres exactly as on a real server. PGlite has one session: the pool holds one client.
// Three fixes to PGlite's node-postgres shim (docs/decisions/0001-postgresql-prisma-migrations.md):
//  1. a fresh shim connection per client (pg-pool discards a client after any SQL error);
//  2. adapter-pg passes `types: {getTypeParser}` to parse(), which the shim's serializer cannot take;
//  3. a client discarded mid-transaction must not leave PGlite's only session inside that transaction.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

type ParseMessage = { types?: unknown; [key: string]: unknown };

export function createPglitePool(pglite: PGlite): pg.Pool {
  // Loaded here, not with the module: a process on PostgreSQL never loads PGlite (src/db/database.ts). The
  // shim's types do not resolve under moduleResolution node10; its runtime export is plain CommonJS.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createPgConfig } = require('@electric-sql/pglite/node-postgres') as {
    createPgConfig(pglite: PGlite): { connection: unknown };
  };
  class PgliteClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      const shim = createPgConfig(pglite);
      const connection = shim.connection as unknown as { parse(q: ParseMessage): void; end(): void };
      const parse = connection.parse.bind(connection);
      connection.parse = (query: ParseMessage) =>
        parse(Array.isArray(query.types) ? query : { ...query, types: undefined });
      const end = connection.end.bind(connection);
      connection.end = () => {
        if (pglite.isInTransaction()) {
          void pglite.exec('ROLLBACK').catch(() => undefined);
        }
        end();
      };
      super({ ...config, ...shim, connection } as unknown as pg.ClientConfig);
    }
  }
  return new pg.Pool({ Client: PgliteClient, max: 1, idleTimeoutMillis: 0 });
}
