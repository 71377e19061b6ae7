// Local groups for teachers: split a class into groups (e.g. reading groups) that sync never changes.
// Only the teacher's own sections and students; someone else's section or group is 404.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { notFound } from '../../errors';
import { createLocalGroup } from '../../groups/create-local-group';
import { updateLocalGroup } from '../../groups/update-local-group';
import { getLocalGroup } from '../../groups/local-group';
import { getTaughtSection } from '../../roster/teacher-section';
import { requireRole, requireUser } from '../middleware/require-user';
import { noStore } from '../middleware/security';
import { presentGroup, presentGroupForm } from '../presenters/group';

const members = z
  .union([z.uuid(), z.array(z.uuid()).max(500)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
export const groupBody = z.object({
  name: z.string().trim().min(1, 'Give the group a name.').max(100, 'Keep the name under 100 characters.'),
  members,
});
const newQuery = z.object({ section: z.uuid() });
const createBody = groupBody.extend({ section: z.uuid() });
const idParams = z.object({ id: z.uuid() });

function firstIssue(error: z.ZodError): string {
  return error.issues.find((i) => i.path[0] === 'name')?.message ?? 'Check the form and try again.';
}

export function groupsRouter(db: Database): Router {
  const router = Router();
  router.use('/groups', noStore, requireUser, requireRole('teacher'));

  const renderForm = async (res: Response, sectionId: string, values = {}, error: string | null = null) => {
    const model = presentGroupForm(await getTaughtSection(db.prisma, res.req.user!.id, sectionId), values);
    res.status(error ? 400 : 200).render('groups/new', { title: 'New group', model, error });
  };

  router.get('/groups/new', async (req, res) => {
    const query = newQuery.safeParse(req.query);
    if (!query.success) throw notFound('Class');
    await renderForm(res, query.data.section);
  });

  router.post('/groups', async (req, res) => {
    const body = createBody.safeParse(req.body);
    if (!body.success) {
      const section = z.uuid().safeParse(req.body?.section);
      if (!section.success) throw notFound('Class');
      return renderForm(res, section.data, { name: req.body?.name }, firstIssue(body.error));
    }
    const { group } = await createLocalGroup(db.prisma, {
      ownerId: req.user!.id,
      sectionId: body.data.section,
      name: body.data.name,
      memberIds: body.data.members,
    });
    res.redirect(303, `/groups/${group.id}`);
  });

  router.get('/groups/:id', async (req, res) => {
    const params = idParams.safeParse(req.params);
    if (!params.success) throw notFound('Group');
    const model = presentGroup(await getLocalGroup(db.prisma, req.user!.id, params.data.id));
    res.render('groups/show', { title: model.name, model, error: null });
  });

  router.post('/groups/:id', async (req, res) => {
    const params = idParams.safeParse(req.params);
    if (!params.success) throw notFound('Group');
    const body = groupBody.safeParse(req.body);
    if (!body.success) {
      const model = presentGroup(await getLocalGroup(db.prisma, req.user!.id, params.data.id));
      return res
        .status(400)
        .render('groups/show', { title: model.name, model, error: firstIssue(body.error) });
    }
    await updateLocalGroup(db.prisma, {
      ownerId: req.user!.id,
      groupId: params.data.id,
      name: body.data.name,
      memberIds: body.data.members,
    });
    res.redirect(303, `/groups/${params.data.id}`);
  });
  return router;
}
