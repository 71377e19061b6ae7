// The local control channel of an app running on the embedded database: command-line tools must never open
// DATA_DIR a second time (two processes on one PGlite directory corrupt it), so `npm run sync` and
// `npm run import-users` hand their work to the running app here. Loopback only, one random bearer token per
// start, both recorded in the DATA_DIR lock file (mode 0600). /sync answers with NDJSON lines: progress, one
// result per district, then end; /import-users with the import's results as one JSON document.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { Logger } from '../logger';
import { importUsers } from '../matching/import-accounts';
import { syncNow, type HasSync } from '../sync/sync-api';

const syncRequest = z.object({
  district: z.string().min(1).max(64).optional(),
  all: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  events: z.boolean().optional(),
});

/** The rows of a CSV file, as `npm run import-users` parsed them. */
const importRequest = z.object({
  records: z
    .array(
      z.object({
        line: z.number().int().min(1),
        fields: z.record(z.string(), z.string().max(1_000).optional()),
      }),
    )
    .max(200_000),
});
const IMPORT_MAX_BYTES = 64 * 2 ** 20;

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
      res.end(
        `${JSON.stringify({ type: 'error', message: 'The app could not carry out the request (see its log).' })}\n`,
      );
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!isAuthorized(req.headers.authorization, token)) return void res.writeHead(401).end();
    if (req.method === 'POST' && req.url === '/import-users') return handleImport(req, res);
    if (req.method !== 'POST' || req.url !== '/sync') return void res.writeHead(404).end();
    const body = syncRequest.safeParse(await readJson(req, 10_000));
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

  async function handleImport(req: http.IncomingMessage, res: http.ServerResponse) {
    const body = importRequest.safeParse(await readJson(req, IMPORT_MAX_BYTES));
    if (!body.success) return void res.writeHead(400).end();
    const results = await importUsers(services.sync.db.prisma, body.data.records);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ results }));
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

async function readJson(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > maxBytes) return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
