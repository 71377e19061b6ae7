// Read by Prisma's own CLI (e.g. `prisma migrate deploy` on a machine that can download Prisma's engines).
// This project applies migrations itself (src/db/run-migrations.ts) with the same bookkeeping; see docs/decisions/0001.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
