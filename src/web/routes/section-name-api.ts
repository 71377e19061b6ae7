// PUT /api/sections/:cleverId/name {"name": "Period 3 Algebra" | null}: a teacher of the section or a district
// admin names a class in the app; the name survives every sync (src/records/rename-section.ts).
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { AppError, notFound } from '../../errors';
import { renameSection } from '../../records/rename-section';
import { requireUser } from '../middleware/require-user';
import { noStore } from '../middleware/security';

const params = z.object({ cleverId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const body = z.object({ name: z.string().trim().min(1).max(200).nullable() });

export function sectionNameApiRouter(db: Database): Router {
  const router = Router();
  router.put('/api/sections/:cleverId/name', noStore, requireUser, async (req, res) => {
    const id = params.safeParse(req.params);
    if (!id.success) throw notFound('Section');
    const parsed = body.safeParse(req.body ?? {});
    if (!parsed.success) throw new AppError('bad_request', 'Send {"name": "a name"} or {"name": null}.');
    const user = req.user!;
    res.json(
      await renameSection(db.prisma, {
        sectionCleverId: id.data.cleverId,
        name: parsed.data.name,
        actor: { id: user.id, roles: user.roles, districtId: user.districtId },
      }),
    );
  });
  return router;
}
