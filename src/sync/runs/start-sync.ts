// Starts a sync of one district on the workers: records a queued SyncRun and hands it to the job queue,
// which runs at most one sync per district at a time. Asking again while a run of the same kind is still
// waiting returns that run instead of queueing another.
import type { SyncKind } from '../../generated/prisma/client';
import { AppError } from '../../errors';
import type { HasSync } from '../sync-context';
import { createRun, finishRun, type SyncTrigger } from './run-status';

export interface StartSyncProps {
  /** Local district id. */
  districtId: string;
  trigger: SyncTrigger;
  startedById?: string | null;
  dryRun?: boolean;
  kind?: SyncKind;
  /** The request asking for it (logged by the worker as `reqId`). */
  requestId?: string;
}

export async function startSync(services: HasSync, props: StartSyncProps): Promise<string> {
  const { db, queue } = services.sync;
  if (!queue) throw new AppError('invalid_state', 'Sync jobs are not available in this process.');
  const district = await db.prisma.district.findUnique({ where: { id: props.districtId } });
  if (!district) throw new AppError('not_found', 'District not found.');
  if (!district.cleverId || district.connection !== 'connected') {
    throw new AppError('invalid_state', 'This district is not connected to Clever.');
  }
  const kind = props.kind ?? 'full';
  const isDryRun = props.dryRun ?? false;
  const waiting = await db.prisma.syncRun.findFirst({
    where: { districtId: district.id, kind, isDryRun, status: 'queued' },
    orderBy: { createdAt: 'desc' },
  });
  if (waiting) return waiting.id;

  const runId = await createRun(db, { ...props, kind, isDryRun, districtId: district.id });
  try {
    await queue.enqueue({ runId, districtId: district.id, requestId: props.requestId });
  } catch (err) {
    await finishRun(db.sql, runId, {
      status: 'failed',
      error: 'The sync could not be queued; nothing was changed.',
    });
    throw err;
  }
  return runId;
}
