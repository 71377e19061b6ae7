// `npm run sync -- --district <cleverId> | --all [--dry-run] [--events]`: a full sync now, with a progress
// bar per collection and a summary table. Exit code 0 on success, 2 ("held") when the mass-change guard held
// a run, 1 on failure (nothing archived). With the embedded database and the app running on the same
// DATA_DIR, the work is handed to the app (two processes must never open one PGlite directory).
import { loadConfigOrExit, type Config } from '../config';
import { createLogger } from '../logger';
import { syncNow } from '../sync/sync-api';
import { runningAppControl, syncViaApp } from './control-client';
import { openServices } from './open-services';
import { exitCodeFor, SyncView, type NamedResult } from './sync-view';

const USAGE = 'usage: npm run sync -- --district <cleverId> | --all [--dry-run] [--events]';

function parseArgs(argv: string[]) {
  const i = argv.indexOf('--district');
  const district = i >= 0 ? argv[i + 1] : undefined;
  const all = argv.includes('--all');
  if ((!district || district.startsWith('--')) === !all) return null;
  return { district, all, dryRun: argv.includes('--dry-run'), events: argv.includes('--events') };
}

async function run(config: Config, args: NonNullable<ReturnType<typeof parseArgs>>): Promise<NamedResult[]> {
  const view = new SyncView();
  const listener = {
    onStart: (d: { districtId: string; name: string }) => view.start(d),
    onProgress: view.progress.bind(view),
    onResult: () => undefined,
  };
  let results: NamedResult[];
  const app = runningAppControl(config);
  if (app) {
    console.log(`Handing the sync to the running app (pid ${app.pid}).`);
    results = await syncViaApp(app, args, listener);
  } else {
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const opened = await openServices(config, logger);
    try {
      results = await syncNow(opened.services, { cleverDistrictId: args.district, ...args }, listener);
    } finally {
      await opened.close();
    }
  }
  console.log(view.finish(results));
  return results;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    console.error(USAGE);
    return 64;
  }
  const config = loadConfigOrExit();
  try {
    return exitCodeFor(await run(config, args));
  } catch (err) {
    console.error(`Sync failed: ${err instanceof Error ? err.message : String(err)} (nothing was archived)`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
