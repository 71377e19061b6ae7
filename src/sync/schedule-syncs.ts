// What the scheduler does: onboard districts, then queue a full sync per connected district — every one
// (the daily run) or only those that never had one (new districts, checked often so they sync at once).
import type { HasSync } from './context';
import { onboardDistricts, type OnboardResult } from './onboard-districts';
import { startSync } from './start-sync';

export async function queueDistrictSyncs(
  services: HasSync,
  props: { scope: 'all' | 'new' },
): Promise<{ onboarding: OnboardResult; runIds: string[] }> {
  const onboarding = await onboardDistricts(services.sync);
  const runIds: string[] = [];
  for (const district of onboarding.connected) {
    if (props.scope === 'new' && !district.needsInitialSync) continue;
    const trigger = district.needsInitialSync ? 'onboarding' : 'schedule';
    runIds.push(await startSync(services, { districtId: district.districtId, trigger }));
  }
  return { onboarding, runIds };
}
