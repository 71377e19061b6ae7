// Sync health for district admins: the page, "Sync now" and "Preview" (a dry run), one run's page with its
// plan, and the decision on a held run (approve archives exactly its plan; discard archives nothing).
// Runs and their plans come from the sync engine (src/sync); every call names the admin's own district.
import { Router } from 'express';
import { z } from 'zod';
import { notFound } from '../../errors';
import { getSyncHealth } from '../../sync/runs/read-sync-health';
import {
  approveHeldRun,
  discardHeldRun,
  getRun,
  getRunPlan,
  startSync,
  type HasSync,
} from '../../sync/sync-api';
import { requireAdminScope, scopeOf } from '../middleware/require-admin-scope';
import { requireUser } from '../middleware/require-user';
import { noStore } from '../middleware/security';
import { presentRunPage } from '../presenters/sync-run-page';
import { presentSyncHealth } from '../presenters/sync-health';

const startBody = z.object({ mode: z.enum(['sync', 'preview']) });
const runParams = z.object({ id: z.uuid() });
const runQuery = z.object({ cursor: z.uuid().optional().catch(undefined) });

export function adminSyncRouter(services: HasSync): Router {
  const router = Router();
  const db = services.sync.db;
  router.use('/admin/sync', noStore, requireUser, requireAdminScope(db, { districtAdminOnly: true }));

  router.get('/admin/sync', async (req, res) => {
    const model = presentSyncHealth(await getSyncHealth(services, scopeOf(req).districtId));
    res.render('admin/sync', { title: 'Sync health', model });
  });

  router.post('/admin/sync', async (req, res) => {
    const body = startBody.safeParse(req.body);
    const runId = await startSync(services, {
      districtId: scopeOf(req).districtId,
      trigger: 'admin',
      startedById: req.user!.id,
      dryRun: body.success && body.data.mode === 'preview',
      requestId: req.id,
    });
    res.redirect(303, `/admin/sync/runs/${runId}`);
  });

  router.get('/admin/sync/runs/:id', async (req, res) => {
    const params = runParams.safeParse(req.params);
    if (!params.success) throw notFound('Sync run');
    const cursor = runQuery.parse(req.query).cursor;
    const props = { runId: params.data.id, districtId: scopeOf(req).districtId };
    const run = await getRun(services, props);
    const plan = await getRunPlan(services, { ...props, cursor, limit: 100 });
    const model = presentRunPage(run, plan, cursor);
    res.render('admin/sync-run', { title: 'Sync run', model });
  });

  for (const [action, decide] of [
    ['approve', approveHeldRun],
    ['discard', discardHeldRun],
  ] as const) {
    router.post(`/admin/sync/runs/:id/${action}`, async (req, res) => {
      const params = runParams.safeParse(req.params);
      if (!params.success) throw notFound('Sync run');
      const runId = params.data.id;
      await decide(services, { runId, actorId: req.user!.id, districtId: scopeOf(req).districtId });
      res.redirect(303, `/admin/sync/runs/${runId}`);
    });
  }
  return router;
}
