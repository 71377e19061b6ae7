// The sync health page: our last successful sync next to Clever's own last_sync, the recent runs (for the
// chart and table), held runs waiting for a decision with a first look at their plan, and the review queue.
import { getRun, getRunPlan, listRecentRuns, readEventsFreshness, type HasSync } from '../sync-api';
import { notFound } from '../../errors';
import { listOpenMatchReviews } from '../../matching/open-match-reviews';

export async function getSyncHealth(services: HasSync, districtId: string) {
  const prisma = services.sync.db.prisma;
  const district = await prisma.district.findUnique({ where: { id: districtId } });
  if (!district) throw notFound('District');
  const [runs, lastSuccess, held, reviews, events] = await Promise.all([
    listRecentRuns(services, { districtId, limit: 30 }),
    prisma.syncRun.findFirst({
      where: { districtId, isDryRun: false, status: { in: ['succeeded', 'approved'] } },
      orderBy: { createdAt: 'desc' },
    }),
    prisma.syncRun.findFirst({ where: { districtId, status: 'held' }, orderBy: { createdAt: 'desc' } }),
    listOpenMatchReviews(prisma, districtId),
    readEventsFreshness(services, districtId),
  ]);
  const heldRun = held
    ? {
        run: await getRun(services, { runId: held.id, districtId }),
        plan: await getRunPlan(services, { runId: held.id, districtId, limit: 20 }),
      }
    : null;
  return { district, runs, lastSuccess, held: heldRun, reviews, events };
}

export type SyncHealth = Awaited<ReturnType<typeof getSyncHealth>>;
