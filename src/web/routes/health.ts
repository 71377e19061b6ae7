// Liveness and readiness. /healthz answers 200 when the database answers; /readyz also needs every
// migration applied.
import { Router } from 'express';
import type { Database } from '../../db/database';
import { migrationStatus } from '../../db/run-migrations';

export function healthRouter(db: Database): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await db.pool.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  router.get('/readyz', async (_req, res) => {
    try {
      const status = await migrationStatus(db.pool);
      const ready = status.pending.length === 0 && status.failed.length === 0;
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : 'not_ready',
        pendingMigrations: status.pending.length,
        failedMigrations: status.failed.length,
      });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return router;
}
