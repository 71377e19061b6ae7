// The only place errors become HTTP responses: a page for browsers, JSON with a stable code for the API.
// Unknown errors are logged with their stack (never tokens or student data) and shown as a generic 500.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, type AppErrorCode } from '../../errors';
import type { Logger } from '../../logger';

/** The HTTP status of each of the app's errors. */
export const HTTP_STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 403,
  login_failed: 502,
  sign_in_expired: 400,
  clever_refused: 400,
  not_shared: 403,
  account_archived: 403,
  clever_unavailable: 503,
  sync_running: 409,
  data_dir_locked: 500,
  data_dir_insecure: 500,
  config_invalid: 500,
  rate_limited: 429,
  payload_too_large: 413,
};

/** The heading of an error page, where the code has a better one than the generic. */
const TITLES: Partial<Record<AppErrorCode, string>> = {
  not_found: 'Not found',
  not_shared: 'Your account is not set up for this app',
  clever_refused: 'Clever could not sign you in',
  login_failed: 'Clever could not sign you in',
};

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
    } else if (HTTP_STATUS[known.code] >= 500) {
      logger.warn(
        { code: known.code, path: req.path, reqId: req.id, cause: known.details?.cause },
        known.message,
      );
    }
    const status = known ? HTTP_STATUS[known.code] : 500;
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
        title: (known && TITLES[known.code]) ?? 'Something went wrong',
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
