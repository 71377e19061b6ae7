// On-demand sync for district admins: POST /api/admin/sync queues a full sync (or a dry run) of the admin's
// own district and answers 202 {"runId"}; GET /api/admin/sync/:runId reports that run.
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors';
import { getRun, startSync, type HasSync } from '../../sync/sync-api';
import { requireRole } from '../middleware/require-user';
import { noStore } from '../middleware/security';
import { presentSyncRun } from '../presenters/sync-run';

const startBody = z.object({ dryRun: z.boolean().optional() });
const runParams = z.object({ runId: z.uuid() });

export function adminSyncApiRouter(services: HasSync): Router {
  const router = Router();
  router.use('/api/admin/sync', noStore, requireRole('district_admin'));

  router.post('/api/admin/sync', async (req, res) => {
    const body = startBody.safeParse(req.body ?? {});
    if (!body.success) throw new AppError('bad_request', 'Send {} or {"dryRun": true}.');
    const districtId = req.user!.districtId;
    if (!districtId) throw new AppError('forbidden', 'Your account belongs to no district.');
    const runId = await startSync(services, {
      districtId,
      trigger: 'admin',
      startedById: req.user!.id,
      dryRun: body.data.dryRun ?? false,
      requestId: req.id,
    });
    res.status(202).json({ runId });
  });

  router.get('/api/admin/sync/:runId', async (req, res) => {
    const params = runParams.safeParse(req.params);
    if (!params.success) throw new AppError('not_found', 'Sync run not found.');
    const districtId = req.user!.districtId;
    if (!districtId) throw new AppError('not_found', 'Sync run not found.');
    res.json(presentSyncRun(await getRun(services, { runId: params.data.runId, districtId })));
  });
  return router;
}
