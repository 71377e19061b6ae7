// The local control channel of an app running on the embedded database: command-line tools must never open
// DATA_DIR a second time (two processes on one PGlite directory corrupt it), so `npm run sync` hands its
// work to the running app here. Loopback only, one random bearer token per start, both recorded in the
// DATA_DIR lock file (mode 0600). Answers with NDJSON lines: progress, one result per district, then end.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../logger';
import { syncNow, type HasSync } from '../sync';

const syncRequest = z.object({
  district: z.string().min(1).max(64).optional(),
  all: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  events: z.boolean().optional(),
});

export interface ControlServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startControlServer(services: HasSync, logger: Logger): Promise<ControlServer> {
  const token = crypto.randomBytes(32).toString('hex');
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      logger.error({ err: String(err) }, 'control request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end(`${JSON.stringify({ type: 'error', message: 'The app could not run the sync.' })}\n`);
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!isAuthorized(req.headers.authorization, token)) return void res.writeHead(401).end();
    if (req.method !== 'POST' || req.url !== '/sync') return void res.writeHead(404).end();
    const body = syncRequest.safeParse(await readJson(req));
    if (!body.success || (!body.data.all && !body.data.district)) return void res.writeHead(400).end();
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
    const send = (line: Record<string, unknown>) => res.write(`${JSON.stringify(line)}\n`);
    try {
      await syncNow(
        services,
        { cleverDistrictId: body.data.district, ...body.data },
        {
          onStart: (district) => send({ type: 'start', district }),
          onProgress: (districtId, progress) => send({ type: 'progress', districtId, progress }),
          onResult: (result) => send({ type: 'result', result }),
        },
      );
      send({ type: 'end' });
    } catch (err) {
      send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function isAuthorized(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 10_000) return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
