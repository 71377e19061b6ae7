// `npm run sync -- --district <id>` exactly as a user runs it: the real npm script, with the settings the
// project ships (package.json, config defaults), pointed at the sandbox by environment variables only. Its
// peak memory is sampled from /proc over the whole process tree npm starts: `syncRssMb` is the largest
// single process (the one running src/cli/sync.ts), `treeRssMb` the tree's largest sum (npm included).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fromRoot } from '../src/paths';
import type { DatabaseLocation } from './harness';

export interface UserCommandResult {
  wallMs: number;
  syncRssMb: number;
  treeRssMb: number;
  exitCode: number | null;
}

const kb = (status: string, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);

function descendants(pid: number): number[] {
  const found = [pid];
  for (let i = 0; i < found.length; i++) {
    try {
      for (const tid of fs.readdirSync(`/proc/${found[i]}/task`)) {
        const children = fs.readFileSync(`/proc/${found[i]}/task/${tid}/children`, 'utf8').trim();
        if (children) found.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

export async function runUserSync(
  db: DatabaseLocation,
  sandbox: { url: string; districtId: string },
  script = 'sync',
): Promise<UserCommandResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'NODE_OPTIONS', 'SYNC_PAGE_SIZE', 'LOG_LEVEL'])
    delete env[name];
  Object.assign(env, {
    NODE_ENV: 'development',
    CLEVER_CLIENT_ID: 'sandbox-client',
    CLEVER_CLIENT_SECRET: 'sandbox-secret',
    CLEVER_OAUTH_URL: sandbox.url,
    CLEVER_API_URL: sandbox.url,
    ...(db.url ? { DATABASE_URL: db.url } : { DATA_DIR: db.dataDir! }),
  });
  const start = performance.now();
  const child = spawn('npm', ['run', '--silent', script, '--', '--district', sandbox.districtId], {
    cwd: fromRoot(),
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const highWater = new Map<number, number>();
  let treeRssMb = 0;
  const sample = () => {
    let sum = 0;
    for (const pid of descendants(child.pid!)) {
      try {
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        sum += kb(status, 'VmRSS');
        highWater.set(pid, Math.max(highWater.get(pid) ?? 0, kb(status, 'VmHWM')));
      } catch {
        // exited meanwhile
      }
    }
    treeRssMb = Math.max(treeRssMb, sum / 1024);
  };
  const timer = setInterval(sample, 20);
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  return {
    wallMs: performance.now() - start,
    syncRssMb: Math.max(0, ...highWater.values()) / 1024,
    treeRssMb,
    exitCode,
  };
}
