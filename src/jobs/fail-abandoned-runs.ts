// Runs left "running" by a process that stopped, with no job left to retry them: recorded failed once their
// lease has lapsed (src/sync/runs/run-status.ts). A run whose job may still come back is left to that job
// (src/sync/runs/abandoned-run.ts).
import type { Sql } from '../db/sql';
import { failStoppedRunsWithoutJob } from '../sync/runs/run-status';
import { SYNC_QUEUE } from './queue';

export function failAbandonedRuns(sql: Sql): Promise<string[]> {
  return failStoppedRunsWithoutJob(sql, SYNC_QUEUE);
}
