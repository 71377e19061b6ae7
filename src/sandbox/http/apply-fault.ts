import type { Request, Response } from 'express';
import type { Fault } from '../store/faults';

// Fault injection for the Data API: each kind imitates a failure a real sync meets sooner or later.

type JsonBody = { links?: { rel: string; uri: string }[] } & Record<string, unknown>;

/** Applies `fault`; returns true when the request is finished (or deliberately left hanging). */
export function applyFault(fault: Fault, req: Request, res: Response, now: number): boolean {
  switch (fault.kind) {
    case '429':
      res.setHeader('X-RateLimit-Remaining', '0');
      res.setHeader('X-RateLimit-Reset', String(Math.floor(now / 1000) + (fault.resetSeconds ?? 60)));
      if (fault.retryAfter) res.setHeader('Retry-After', String(fault.resetSeconds ?? 60));
      res.status(429).end();
      return true;
    case '5xx':
      res.status(fault.status ?? 500).json({ message: 'Internal Error' });
      return true;
    case 'hang':
      return true; // never answered; the server's close() destroys the socket
    default:
      wrapJson(fault, req, res);
      return false;
  }
}

/** truncated / malformed / loop change the body the route is about to send. */
function wrapJson(fault: Fault, req: Request, res: Response): void {
  const send = res.json.bind(res);
  res.locals.jsonWrapped = true; // lists must answer through res.json so the fault can see the body
  res.json = (body: JsonBody) => {
    if (fault.kind === 'loop') return send(loopBack(req, body));
    const text = JSON.stringify(body);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (fault.kind === 'malformed') {
      // A complete, properly framed response whose JSON does not parse (trailing comma).
      const broken = `${text.slice(0, -1)},}`;
      res.setHeader('Content-Length', String(Buffer.byteLength(broken)));
      res.end(broken);
      return res;
    }
    // truncated: the headers promise the whole body, the connection drops halfway through it.
    const bytes = Buffer.from(text);
    res.setHeader('Content-Length', String(bytes.length));
    res.flushHeaders();
    res.write(bytes.subarray(0, Math.max(1, Math.floor(bytes.length / 2))), () => res.socket?.destroy());
    return res;
  };
}

/** The `next` link points back to the first page, so a naive client pages forever. */
function loopBack(req: Request, body: JsonBody): JsonBody {
  if (!Array.isArray(body.links)) return body;
  const url = new URL(req.originalUrl, 'http://sandbox');
  url.searchParams.delete('starting_after');
  url.searchParams.delete('ending_before');
  const first = url.pathname + (url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : '');
  const links = body.links.filter((l) => l.rel !== 'next');
  links.push({ rel: 'next', uri: first });
  return { ...body, links };
}
