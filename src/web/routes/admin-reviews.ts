// The review queue of ambiguous email matches, for district admins of that district: see both sides, then
// link the Clever user to one existing account (an audited move of the Clever id) or keep them separate.
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { notFound } from '../../errors';
import { keepAccountsSeparate } from '../../matching/keep-accounts-separate';
import { linkReviewedAccount } from '../../matching/link-reviewed-account';
import { getMatchReview } from '../../matching/match-review-detail';
import { requireAdminScope, scopeOf } from '../middleware/require-admin-scope';
import { requireUser } from '../middleware/require-user';
import { noStore } from '../middleware/security';
import { presentMatchReview } from '../presenters/match-review';

const params = z.object({ id: z.uuid() });
const linkBody = z.object({ candidate: z.uuid() });

function reviewId(req: { params: unknown }): string {
  const parsed = params.safeParse(req.params);
  if (!parsed.success) throw notFound('Review');
  return parsed.data.id;
}

export function adminReviewsRouter(db: Database): Router {
  const router = Router();
  router.use('/admin/reviews', noStore, requireUser, requireAdminScope(db, { districtAdminOnly: true }));

  router.get('/admin/reviews/:id', async (req, res) => {
    const detail = await getMatchReview(db.prisma, scopeOf(req).districtId, reviewId(req));
    res.render('admin/review', { title: 'Review an email match', model: presentMatchReview(detail) });
  });

  router.post('/admin/reviews/:id/link', async (req, res) => {
    const id = reviewId(req);
    const body = linkBody.safeParse(req.body);
    if (!body.success) throw notFound('Account');
    const result = await linkReviewedAccount(db, {
      reviewId: id,
      candidateId: body.data.candidate,
      actorId: req.user!.id,
      districtId: scopeOf(req).districtId,
    });
    res.redirect(303, `/admin/people/${result.userId}`);
  });

  router.post('/admin/reviews/:id/keep-separate', async (req, res) => {
    const id = reviewId(req);
    await keepAccountsSeparate(db.prisma, {
      reviewId: id,
      actorId: req.user!.id,
      districtId: scopeOf(req).districtId,
    });
    res.redirect(303, `/admin/reviews/${id}`);
  });
  return router;
}
