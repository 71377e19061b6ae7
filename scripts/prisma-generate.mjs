#!/usr/bin/env node
// Generates the Prisma client without Prisma's downloadable engine binaries.
// `prisma generate` never runs the schema engine, but the CLI insists that one exists: pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies it.
// The variable is set for this child process only: set globally it makes other commands silently no-op.
// --if-needed: skip when the client was generated from the current schema (a hash is kept beside it).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = path.join(root, 'prisma/schema.prisma');
const outDir = path.join(root, 'src/generated/prisma');
const stampPath = path.join(outDir, '.schema-hash');

const require = createRequire(import.meta.url);
const prismaPkg = require.resolve('prisma/package.json', { paths: [root] });
const hash = createHash('sha256')
  .update(readFileSync(schemaPath))
  .update(readFileSync(prismaPkg))
  .digest('hex');

if (
  process.argv.includes('--if-needed') &&
  existsSync(stampPath) &&
  readFileSync(stampPath, 'utf8') === hash
) {
  process.exit(0);
}

const cli = path.join(path.dirname(prismaPkg), 'build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', schemaPath], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: prismaPkg, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stampPath, hash);
