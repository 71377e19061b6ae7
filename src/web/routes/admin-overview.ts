// GET /admin: where district admins and staff land after signing in — their district (or schools) at a
// glance, the sync's state and what waits for them.
import { Router } from 'express';
import type { Database } from '../../db/database';
import { getDistrictOverview } from '../../roster/district-overview';
import { requireAdminScope, scopeOf } from '../middleware/require-admin-scope';
import { requireUser } from '../middleware/require-user';
import { noStore } from '../middleware/security';
import { presentOverview } from '../presenters/overview';

export function adminOverviewRouter(db: Database): Router {
  const router = Router();
  router.get('/admin', noStore, requireUser, requireAdminScope(db), async (req, res) => {
    const model = presentOverview(await getDistrictOverview(db.prisma, scopeOf(req), req.user!.id));
    res.render('admin/overview', { title: 'District overview', model });
  });
  return router;
}
