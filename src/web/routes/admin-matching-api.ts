// A district admin's matching settings: GET /api/admin/matching answers {"verifiedEmailDomains": [...]};
// PUT with the same body replaces the list (an empty list: every domain may match, the default).
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { AppError } from '../../errors';
import {
  getVerifiedEmailDomains,
  parseEmailDomains,
  setVerifiedEmailDomains,
} from '../../matching/verified-email-domains';
import { requireRole } from '../middleware/require-user';
import { noStore } from '../middleware/security';

const body = z.object({ verifiedEmailDomains: z.array(z.string().max(253)).max(50) });

export function adminMatchingApiRouter(db: Database): Router {
  const router = Router();
  router.use('/api/admin/matching', noStore, requireRole('district_admin'));

  const districtOf = (req: { user?: Express.User }) => {
    const districtId = req.user!.districtId;
    if (!districtId) throw new AppError('forbidden', 'Your account belongs to no district.');
    return districtId;
  };

  router.get('/api/admin/matching', async (req, res) => {
    res.json({ verifiedEmailDomains: await getVerifiedEmailDomains(db.prisma, districtOf(req)) });
  });

  router.put('/api/admin/matching', async (req, res) => {
    const parsed = body.safeParse(req.body ?? {});
    const domains = parsed.success ? parseEmailDomains(parsed.data.verifiedEmailDomains) : null;
    if (!domains) {
      throw new AppError(
        'bad_request',
        'Send {"verifiedEmailDomains": ["district.example.edu", …]} (domain names).',
      );
    }
    const saved = await setVerifiedEmailDomains(db.prisma, {
      districtId: districtOf(req),
      domains,
      actorId: req.user!.id,
    });
    res.json({ verifiedEmailDomains: saved });
  });
  return router;
}
