// The only place errors become HTTP responses: a page for browsers, JSON with a stable code for the API.
// Unknown errors are logged with their stack (never tokens or student data) and shown as a generic 500.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || (!req.accepts('html') && Boolean(req.accepts('json')));
}

export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(new AppError('not_found', 'This page does not exist.'));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = err instanceof AppError ? err : toAppError(err);
    if (!known) {
      logger.error({ err: scrub(err), path: req.path, method: req.method, reqId: req.id }, 'unhandled error');
    } else if (known.status >= 500) {
      logger.warn({ code: known.code, path: req.path, reqId: req.id }, known.message);
    }
    const status = known?.status ?? 500;
    const code = known?.code ?? 'internal_error';
    const message = known?.message ?? 'Something went wrong on our side. Please try again in a moment.';
    if (res.headersSent) return;
    res.status(status);
    if (wantsJson(req)) {
      res.json({ error: { code, message } });
    } else if (code === 'forbidden' && known?.details?.pageIsFor) {
      res.render('forbidden', {
        title: 'Your account cannot open this page',
        message,
        roles: req.user?.roles ?? [],
      });
    } else {
      res.render('error', {
        status,
        code,
        message,
        title: status === 404 ? 'Not found' : 'Something went wrong',
      });
    }
  };
}

// Errors thrown by Express's own middleware (body parsing and so on) carry a status.
function toAppError(err: unknown): AppError | null {
  const status =
    (err as { status?: number; statusCode?: number })?.status ?? (err as { statusCode?: number })?.statusCode;
  if (status === 413) return new AppError('payload_too_large', 'The request is too large.');
  if (status === 400 || status === 415) {
    return new AppError('bad_request', 'The request could not be read.');
  }
  if (status === 404) return new AppError('not_found', 'This page does not exist.');
  return null;
}

function scrub(err: unknown): { name?: string; message?: string; stack?: string } {
  if (!(err instanceof Error)) return { message: String(err) };
  return { name: err.name, message: err.message, stack: err.stack };
}
