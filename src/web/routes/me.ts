// The signed-in user's own pages and API: classes, teachers, students, and progress.
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { AppError } from '../../errors';
import { addProgress, listProgress } from '../../progress/progress';
import { listOwnGroups } from '../../groups/own-groups';
import { getUserOverview } from '../../roster/user-overview';
import { requireUser } from '../middleware/require-user';
import { noStore } from '../middleware/security';
import { presentOwnGroups } from '../presenters/group';
import { presentDashboard, presentMe, presentProgress } from '../presenters/me-json';

const progressBody = z.object({
  activity: z.string().trim().min(1).max(200),
  score: z.number().finite().min(-1e9).max(1e9).nullable().optional(),
});
const dashboardQuery = z.object({ view: z.enum(['teacher', 'student']).optional() });

/** A progress record is a line of activity, not a document: bodies above this are refused with 413. */
export const PROGRESS_MAX_BYTES = 4096;

export function meRouter(db: Database, options: { progressRateLimit: number }): Router {
  const router = Router();
  // Per user, not per address: a whole class shares one school address.
  const progressLimiter = rateLimit({
    windowMs: 60_000,
    limit: options.progressRateLimit,
    keyGenerator: (req) => req.user!.id,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(new AppError('rate_limited', 'Too many progress records this minute. Please slow down.')),
  });
  router.use(['/dashboard', '/api/me', '/api/progress'], noStore, requireUser);

  router.get('/dashboard', async (req, res) => {
    const query = dashboardQuery.safeParse(req.query);
    const overview = await getUserOverview(db.prisma, req.user!.id);
    const progress = await listProgress(db.prisma, req.user!.id, 20);
    const groups = await listOwnGroups(db.prisma, req.user!.id);
    res.render('dashboard', {
      title: 'My classes',
      model: presentDashboard(overview, query.success ? (query.data.view ?? null) : null),
      progress: progress.map(presentProgress),
      groups: presentOwnGroups(groups),
    });
  });

  router.get('/api/me', async (req, res) => {
    res.json(presentMe(await getUserOverview(db.prisma, req.user!.id)));
  });

  router.get('/api/me/progress', async (req, res) => {
    const items = await listProgress(db.prisma, req.user!.id);
    res.json({ items: items.map(presentProgress) });
  });

  router.post('/api/progress', progressLimiter, async (req, res) => {
    if (Buffer.byteLength(JSON.stringify(req.body ?? {})) > PROGRESS_MAX_BYTES) {
      throw new AppError('payload_too_large', `A progress record must be under ${PROGRESS_MAX_BYTES} bytes.`);
    }
    const body = progressBody.safeParse(req.body);
    if (!body.success) throw new AppError('bad_request', 'Send {"activity": string, "score"?: number}.');
    const item = await addProgress(db.prisma, req.user!.id, body.data);
    res.status(201).json(presentProgress(item));
  });
  return router;
}
