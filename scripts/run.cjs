// `node scripts/run.cjs src/<entry>.ts [args…]`: how `npm start`, `npm run sync`, `npm run worker` and the other
// commands run the app's TypeScript. Loading the sources through tsx costs ~0.7 s and ~30 MB at every start
// (a transform hook on each of ~200 modules); instead every file of src/ is transpiled once with esbuild (the
// compiler tsx uses, the same per-file output) into .cache/compiled/<hash of the sources>/, and the entry runs
// from there in this process. The hash covers the contents of src/, tsconfig.json, this file and the esbuild
// version, so an edited file is recompiled (~0.5 s) at the next start: the output is never stale. When that is
// not possible (a read-only checkout, esbuild missing, a syntax error), the entry runs through tsx as before,
// which also reports syntax errors with their source lines. Stack traces name the compiled files; source maps
// are written beside them (`NODE_OPTIONS=--enable-source-maps` maps them back, at ~0.2 s of start-up).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** Compiled trees older than this, other than the current one, are removed. */
const KEEP_OLD_MS = 10 * 60 * 1000;

function sourceFiles(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(file, found);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(file);
  }
  return found.sort();
}

function fingerprint(root, files, esbuildVersion) {
  // This file's text too: a change to the build options below must not reuse trees built with the old ones.
  const hash = crypto.createHash('sha1').update(`${esbuildVersion}\n`).update(fs.readFileSync(__filename));
  for (const file of [path.join(root, 'tsconfig.json'), ...files])
    hash
      .update(`${path.relative(root, file)}\n`)
      .update(fs.readFileSync(file))
      .update('\n');
  return hash.digest('hex').slice(0, 20);
}

function pruneOthers(base, keep) {
  for (const name of fs.readdirSync(base)) {
    if (name === keep) continue;
    const dir = path.join(base, name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > KEEP_OLD_MS)
        fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process removed it meanwhile
    }
  }
}

/**
 * Transpiles `<root>/src` into `<root>/.cache/compiled/<hash>/src` unless that exists already, and returns the
 * compiled tree's folder. Written to a temporary folder and renamed, so concurrent starts never see half a tree.
 */
function compiledTree(root = ROOT) {
  const esbuild = require('esbuild');
  const files = sourceFiles(path.join(root, 'src'));
  const key = fingerprint(root, files, esbuild.version);
  const base = path.join(root, '.cache', 'compiled');
  const out = path.join(base, key);
  if (fs.existsSync(path.join(out, '.complete'))) return out;
  fs.mkdirSync(base, { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    esbuild.buildSync({
      absWorkingDir: root,
      entryPoints: files,
      outbase: path.join(root, 'src'),
      outdir: path.join(tmp, 'src'),
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // import() becomes require(), as tsc's CommonJS output (dist/) has it: through Node's ESM loader a CommonJS
      // file is first scanned for its syntax and exports, ~50 ms for the 4.5 MB Prisma query compiler alone.
      supported: { 'dynamic-import': false },
      tsconfig: path.join(root, 'tsconfig.json'),
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    fs.writeFileSync(path.join(tmp, '.complete'), '');
    fs.renameSync(tmp, out);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(out, '.complete'))) throw err; // else another process finished first
  }
  pruneOthers(base, key);
  return out;
}

/** The compiled file of `entry` (a path under `<root>/src`, `.ts`), or null when it cannot be compiled. */
function compiledEntry(entry, root = ROOT) {
  try {
    const relative = path.relative(path.join(root, 'src'), path.resolve(root, entry));
    return path.join(compiledTree(root), 'src', relative.replace(/\.ts$/, '.js'));
  } catch (err) {
    if (!Array.isArray(err && err.errors))
      console.error(`(running ${entry} through tsx: ${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
}

function main() {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('usage: node scripts/run.cjs src/<entry>.ts [args…]');
    process.exit(64);
  }
  const compiled = compiledEntry(entry);
  let file = compiled;
  if (!file) {
    require('tsx/cjs');
    file = path.resolve(ROOT, entry);
  }
  process.argv = [process.argv[0], file, ...args];
  require(file);
}

if (require.main === module) main();

module.exports = { compiledTree, compiledEntry };
