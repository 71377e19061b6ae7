import { Router } from 'express';
import type { Database } from '../../db/database';
import { getAdminScope } from '../../access/admin-scope';

/**
 * Where a signed-in person lands: district admins and staff (with schools to look after) on their district's
 * overview, everyone else on their classes. Both stay reachable from the navigation.
 */
export function homeRouter(db: Database): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    if (req.user) {
      const scope = await getAdminScope(db.prisma, req.user);
      return res.redirect(303, scope ? '/admin' : '/dashboard');
    }
    res.render('home', { title: 'Welcome' });
  });
  return router;
}
