// What the sync domain needs from the app: the database, the Clever clients, a logger, its settings, and
// (when jobs are wired) a queue to hand runs to workers.
import type { CleverClients } from '../clever/clever-clients';
import type { Database } from '../db/database';
import type { SyncKind } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { RunCounts } from './plan/counts';

export interface SyncSettings {
  /** MASS_CHANGE_THRESHOLD: used when the district has no threshold of its own. */
  massChangeThreshold: number;
  /** SYNC_PAGE_SIZE: `limit` of every Clever listing. */
  pageSize: number;
  matchStudentsBySisId: boolean;
  /** SYNC_WRITE_CONCURRENCY: pages of a full sync written at once, each in its own transaction. */
  writeConcurrency: number;
  /** SYNC_LOCK_TTL_SECONDS in ms: a district's lease lapses this long after the last heartbeat. */
  lockTtlMs?: number;
  /** SYNC_EVENTS_INTERVAL_MINUTES (shown on the admin sync page; the schedule itself is src/jobs/scheduler.ts). */
  eventsIntervalMinutes?: number;
}

/** Told about every run this process finished (metrics). Must not throw. */
export type RunObserver = (run: { kind: SyncKind; status: string; counts: RunCounts }) => void;

/** Hands a queued SyncRun to the workers (pg-boss in src/jobs). */
export interface RunQueue {
  /** `requestId`: the request that asked for the run (an admin's "Sync now"), carried into the worker's logs. */
  enqueue(run: { runId: string; districtId: string; requestId?: string }): Promise<void>;
}

export interface SyncContext {
  db: Database;
  clever: CleverClients;
  logger: Logger;
  settings: SyncSettings;
  queue?: RunQueue;
  onRunFinished?: RunObserver;
}

/** The app's services, or anything else carrying a sync context (the admin pages pass `services`). */
export interface HasSync {
  sync: SyncContext;
}

export type SyncProgress =
  | { kind: 'collection'; collection: string; records: number; done: boolean }
  | { kind: 'phase'; phase: 'fetching' | 'planning' | 'archiving' | 'events' };

export type ProgressListener = (progress: SyncProgress) => void;
