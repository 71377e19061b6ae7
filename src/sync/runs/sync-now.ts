// Synchronous syncs for the command line (`npm run sync`), run in the CLI's own process or — with the
// embedded database — inside the running app the CLI handed the work to. A district given by Clever id is
// onboarded first if the app does not know it yet; `all` means every connected district. A sync of a
// district that is already syncing is refused, not waited for.
import { AppError } from '../../errors';
import type { HasSync, SyncProgress } from '../sync-context';
import { executeRun, type RunResult } from './execute-run';
import { onboardDistricts } from '../onboard-districts';
import { createRun } from './run-status';

export interface SyncNowProps {
  cleverDistrictId?: string;
  all?: boolean;
  dryRun?: boolean;
  events?: boolean;
}

export interface SyncNowListener {
  onStart?(district: { districtId: string; cleverId: string; name: string; runId: string }): void;
  onProgress?(districtId: string, progress: SyncProgress): void;
  onResult?(result: RunResult & { name: string }): void;
}

export async function syncNow(
  services: HasSync,
  props: SyncNowProps,
  listener: SyncNowListener = {},
): Promise<Array<RunResult & { name: string }>> {
  const ctx = services.sync;
  const onboarding = await onboardDistricts(ctx);
  const targets = props.all
    ? onboarding.connected
    : onboarding.connected.filter((d) => d.cleverId === props.cleverDistrictId);
  if (!props.all && targets.length === 0) {
    throw new AppError('not_found', `No connected Clever district ${props.cleverDistrictId ?? ''}.`);
  }
  const results: Array<RunResult & { name: string }> = [];
  for (const district of targets) {
    const runId = await createRun(ctx.db, {
      districtId: district.districtId,
      kind: props.events ? 'events' : 'full',
      trigger: 'cli',
      isDryRun: props.dryRun ?? false,
    });
    listener.onStart?.({ ...district, runId });
    const result = await executeRun(ctx, runId, {
      lockWaitMs: 0,
      onProgress: (p) => listener.onProgress?.(district.districtId, p),
    });
    const named = { ...result, name: district.name };
    listener.onResult?.(named);
    results.push(named);
  }
  return results;
}
