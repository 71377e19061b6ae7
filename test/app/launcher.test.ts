// scripts/run.cjs, through which `npm start`, `npm run sync` and `npm run worker` run: the app's TypeScript
// compiled once per change of the sources, never stale, and the real app working from the compiled tree.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot } from '../../src/paths';
import { freePort, startChild } from '../ops/children';

/** A project of two files beside a copy of the launcher (with this project's node_modules). */
function tinyProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-launch-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.copyFileSync(fromRoot('scripts', 'run.cjs'), path.join(root, 'scripts', 'run.cjs'));
  fs.copyFileSync(fromRoot('tsconfig.json'), path.join(root, 'tsconfig.json'));
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"tiny","private":true}\n');
  fs.symlinkSync(fromRoot('node_modules'), path.join(root, 'node_modules'), 'dir');
  fs.writeFileSync(
    path.join(root, 'src', 'main.ts'),
    "import { greeting } from './greeting';\nconst args: string[] = process.argv.slice(2);\nconsole.log(`${greeting} ${args.join(',')}`);\n",
  );
  fs.writeFileSync(path.join(root, 'src', 'greeting.ts'), "export const greeting: string = 'hello';\n");
  return root;
}

const launch = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'scripts', 'run.cjs'), 'src/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30000,
  });

const compiledTrees = (root: string) => fs.readdirSync(path.join(root, '.cache', 'compiled'));

describe('scripts/run.cjs', () => {
  let root: string;
  beforeEach(() => {
    root = tinyProject();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('runs the entry from a compiled tree, with its own arguments', () => {
    const run = launch(root, 'a', 'b');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('hello a,b\n');
    const [tree] = compiledTrees(root);
    expect(fs.existsSync(path.join(root, '.cache', 'compiled', tree, 'src', 'greeting.js'))).toBe(true);
  });

  it('recompiles after any edit, even one that keeps the file size', () => {
    expect(launch(root).stdout).toBe('hello \n');
    fs.writeFileSync(path.join(root, 'src', 'greeting.ts'), "export const greeting: string = 'howdy';\n");
    expect(launch(root, 'c').stdout).toBe('howdy c\n');
    expect(compiledTrees(root)).toHaveLength(2);
  });

  it('recompiles when the launcher itself changes (its build options), not only the sources', () => {
    expect(launch(root).stdout).toBe('hello \n');
    fs.appendFileSync(path.join(root, 'scripts', 'run.cjs'), '\n// another build option\n');
    expect(launch(root).stdout).toBe('hello \n');
    expect(compiledTrees(root)).toHaveLength(2);
  });

  it('loads a dynamically imported module with require, not through the ES module loader', () => {
    fs.writeFileSync(
      path.join(root, 'src', 'main.ts'),
      "async function main() {\n  const { greeting } = await import('./greeting');\n  console.log(greeting);\n}\nvoid main();\n",
    );
    const run = launch(root);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('hello\n');
    const [tree] = compiledTrees(root);
    const compiled = fs.readFileSync(path.join(root, '.cache', 'compiled', tree, 'src', 'main.js'), 'utf8');
    expect(compiled).toMatch(/require\("\.\/greeting"\)/);
    expect(compiled).not.toMatch(/\bimport\(/);
  });

  it('falls back to tsx when the sources do not compile, which names the broken file', () => {
    fs.writeFileSync(path.join(root, 'src', 'greeting.ts'), 'export const greeting: string = ;\n');
    const run = launch(root);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/greeting\.ts/);
  });
});

describe('the app through the launcher', () => {
  it('npm run sync answers a missing argument with its usage', () => {
    const run = spawnSync('npm', ['run', '--silent', 'sync'], { cwd: fromRoot(), encoding: 'utf8' });
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/usage: npm run sync -- --district/);
  });

  it('serves pages (views and assets found from the compiled tree)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-launch-app-'));
    const port = await freePort();
    const app = startChild(
      'app',
      'src/server.ts',
      { DATA_DIR: dataDir, PORT: String(port), SANDBOX_PORT: '0' },
      'launcher',
    );
    try {
      await app.waitForLine((line) => line.includes('listening'), 45000);
      const home = await fetch(`http://127.0.0.1:${port}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toMatch(/Log in with Clever/);
    } finally {
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
