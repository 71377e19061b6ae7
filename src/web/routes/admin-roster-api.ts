// GET /api/admin/roster: the roster as JSON pages (../shared/notes/interface.md). The district is always the
// signed-in admin's own (staff: their schools); parameters naming another district are ignored.
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { getRosterExport } from '../../roster/roster-export';
import { requireAdminScope, scopeOf } from '../middleware/require-admin-scope';
import { requireUser } from '../middleware/require-user';
import { noStore } from '../middleware/security';
import { presentRosterExport } from '../presenters/roster-api';

export const rosterApiQuery = z.object({
  includeArchived: z
    .enum(['true', 'false'])
    .optional()
    .catch(undefined)
    .transform((v) => v === 'true'),
  cursor: z.string().max(2000).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});

export function adminRosterApiRouter(db: Database): Router {
  const router = Router();
  router.use('/api/admin/roster', noStore, requireUser, requireAdminScope(db));

  router.get('/api/admin/roster', async (req, res) => {
    const query = rosterApiQuery.parse(req.query);
    const page = await getRosterExport(db.prisma, scopeOf(req), query);
    res.json(presentRosterExport(page));
  });
  return router;
}
