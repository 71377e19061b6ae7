// The district roster for district admins (their district) and staff (their schools): the roster with search,
// filters and keyset pages, a person's page and a section's page. Other tenants' ids are 404.
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { notFound } from '../../errors';
import { getPersonDetail } from '../../roster/person-detail';
import { getRosterPage } from '../../roster/roster-page';
import { getSectionDetail } from '../../roster/section-detail';
import { requireAdminScope, scopeOf } from '../middleware/admin-scope';
import { requireUser } from '../middleware/auth';
import { noStore } from '../middleware/security';
import { presentPerson } from '../presenters/person';
import { presentRoster } from '../presenters/roster';
import { presentSection } from '../presenters/section';

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

export const rosterQuery = z.object({
  view: z.enum(['people', 'sections']).catch('people'),
  q: optional(z.string().trim().max(100)),
  school: optional(z.uuid()),
  term: optional(z.uuid()),
  role: optional(z.enum(['student', 'teacher', 'staff', 'district_admin', 'contact'])),
  archived: z
    .string()
    .optional()
    .catch(undefined)
    .transform((v) => v === 'true' || v === 'on'),
  cursor: optional(z.string().max(2000)),
});
const idParams = z.object({ id: z.uuid() });

export function adminRosterRouter(db: Database): Router {
  const router = Router();
  router.use(
    ['/admin/roster', '/admin/people', '/admin/sections'],
    noStore,
    requireUser,
    requireAdminScope(db),
  );

  router.get('/admin/roster', async (req, res) => {
    const query = rosterQuery.parse(req.query);
    const scope = scopeOf(req);
    const { summary, list } = await getRosterPage(db.prisma, scope, {
      view: query.view,
      q: query.q,
      schoolId: query.school,
      termId: query.term,
      role: query.view === 'people' ? query.role : undefined,
      includeArchived: query.archived,
      cursor: query.cursor,
    });
    res.render('admin/roster', { title: 'Roster', model: presentRoster(summary, query, list, scope) });
  });

  router.get('/admin/people/:id', async (req, res) => {
    const params = idParams.safeParse(req.params);
    if (!params.success) throw notFound('Person');
    const detail = await getPersonDetail(db.prisma, scopeOf(req), params.data.id);
    const model = presentPerson(detail);
    res.render('admin/person', { title: model.name, model });
  });

  router.get('/admin/sections/:id', async (req, res) => {
    const params = idParams.safeParse(req.params);
    if (!params.success) throw notFound('Section');
    const model = presentSection(await getSectionDetail(db.prisma, scopeOf(req), params.data.id));
    res.render('admin/section', { title: model.name, model });
  });
  return router;
}
