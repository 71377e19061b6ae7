// The district sync's public API (used by the jobs, the CLI, the admin API and the admin pages).
export type {
  HasSync,
  ProgressListener,
  RunQueue,
  SyncContext,
  SyncProgress,
  SyncSettings,
} from './sync-context';
export { startSync, type StartSyncProps } from './runs/start-sync';
export { executeRun, readResult, type ExecuteOptions, type RunResult } from './runs/execute-run';
export { approveHeldRun, discardHeldRun, type ReviewProps } from './runs/review-held-run';
export { getRun, getRunPlan, listRecentRuns, type PlanItem, type RunSummary } from './runs/read-runs';
export { onboardDistricts, type OnboardResult, type OnboardedDistrict } from './onboard-districts';
export { queueDistrictSyncs, queueEventsSyncs } from './runs/schedule-syncs';
export { syncNow, type SyncNowListener, type SyncNowProps } from './runs/sync-now';
export { createRun, type SyncTrigger } from './runs/run-status';
export { SYNC_RECORD_TYPES, type RunCounts, type SyncRecordType, type TypeCounts } from './plan/counts';
export type { GuardDecision } from './plan/guard';
export { readEventsFreshness, type EventsFreshness } from './runs/read-freshness';
