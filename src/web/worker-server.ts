// The small HTTP listener of `npm run worker` (WORKER_PORT): /healthz, /readyz and /metrics for the
// orchestrator and Prometheus. A worker serves no pages.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Metrics } from '../metrics';
import { healthRouter } from './routes/health';
import { metricsRouter } from './routes/metrics-routes';

export interface WorkerServer {
  port: number;
  close(): Promise<void>;
}

export async function startWorkerServer(props: {
  port: number;
  config: Config;
  db: Database;
  metrics: Metrics;
}): Promise<WorkerServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(props.db));
  app.use(
    metricsRouter(props.metrics, {
      token: props.config.metricsToken,
      isProduction: props.config.isProduction,
    }),
  );
  app.use((_req, res) => void res.status(404).json({ error: 'not_found' }));
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(props.port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
