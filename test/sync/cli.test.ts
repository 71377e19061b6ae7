// `npm run sync` (and `npm run import-users`) with the embedded database while the app runs: the CLI must not
// open DATA_DIR; it hands the work to the app over the local control channel recorded in the lock file and
// reports the outcome with the documented exit codes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestApp } from '../helpers/app';
import { backend } from '../helpers/db';
import { startControlServer, type ControlServer } from '../../src/web/control-server';
import { PERSONAS, startSyncTestApp } from './helpers';

describe(`npm run sync handing the work to the running app (${backend})`, () => {
  let app: TestApp;
  let control: ControlServer;
  let dataDir: string;
  beforeAll(async () => {
    app = await startSyncTestApp();
    control = await startControlServer(app.services, app.services.sync.logger);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-cli-'));
    // What the running app writes into DATA_DIR/app.lock (this test process plays the app).
    fs.writeFileSync(
      path.join(dataDir, 'app.lock'),
      JSON.stringify({
        pid: process.pid,
        startedAt: new Date().toISOString(),
        controlUrl: control.url,
        controlToken: control.token,
      }),
    );
  });
  afterAll(async () => {
    await control.close();
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // Asynchronous: this test process plays the app, which must keep answering while the CLI runs.
  const run = (script: string, args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv;
      delete env.DATABASE_URL;
      const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env });
      let output = '';
      child.stdout.on('data', (chunk) => (output += String(chunk)));
      child.stderr.on('data', (chunk) => (output += String(chunk)));
      child.on('close', (code) => resolve({ code, output }));
    });
  const cli = (...args: string[]) => run('src/cli/sync.ts', args);

  it('syncs through the app, exits 0 and prints a summary table', async () => {
    const { code, output } = await cli('--district', PERSONAS.districtId);
    expect(output).toMatch(/Handing the sync to the running app/);
    expect(output).toMatch(/Sandbox ISD \(run .*\): succeeded/);
    expect(output).toMatch(/section_membership\s+\d+/);
    expect(code).toBe(0);
    expect(fs.readdirSync(dataDir)).toEqual(['app.lock']); // the CLI never opened the database here
  });

  it('exits non-zero and says "held" when the guard holds the run', async () => {
    app.sandbox.store.shrink(PERSONAS.districtId, 0.6);
    const { code, output } = await cli('--district', PERSONAS.districtId);
    expect(output).toMatch(/held/i);
    expect(output).toMatch(/nothing archived/);
    expect(code).toBe(2);
  });

  it('exits non-zero on failure, archiving nothing', async () => {
    app.sandbox.store.addFault({ path: '/sections', kind: 'malformed' });
    const { code, output } = await cli('--district', PERSONAS.districtId);
    expect(output).toMatch(/FAILED: .*Nothing was archived/);
    expect(code).toBe(1);
    app.sandbox.store.clearFaults();
  });

  it('explains its usage when neither --district nor --all is given', async () => {
    expect((await cli('--dry-run')).code).toBe(64);
  });

  it('imports pre-existing accounts through the app too (npm run import-users)', async () => {
    const csv = path.join(os.tmpdir(), `cp-import-${process.pid}.csv`);
    fs.writeFileSync(csv, 'email,first_name,last_name,role\nMs.Handed@Example.org,Hana,Handed,teacher\n');
    try {
      const { code, output } = await run('src/cli/import-users.ts', [csv]);
      expect(output).toMatch(/Handing the import to the running app/);
      expect(output).toMatch(/1 rows: 1 created/);
      expect(code).toBe(0);
      expect(fs.readdirSync(dataDir)).toEqual(['app.lock']);
      const account = await app.db.prisma.user.findFirstOrThrow({
        where: { emailNormalized: 'ms.handed@example.org' },
      });
      expect(account).toMatchObject({ firstName: 'Hana', cleverId: null, managedBy: 'local' });
    } finally {
      fs.rmSync(csv, { force: true });
    }
  });
});
