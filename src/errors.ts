// The closed set of errors the app raises on purpose. Each has a stable code; only the web error handler
// maps them to a status and a page or JSON body.
export type AppErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'login_failed'
  | 'not_shared'
  | 'account_archived'
  | 'clever_unavailable'
  | 'sync_running'
  | 'data_dir_locked'
  | 'data_dir_insecure'
  | 'config_invalid'
  | 'rate_limited'
  | 'payload_too_large';

const STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 403,
  login_failed: 502,
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

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.details = details;
  }
}

export const notFound = (what = 'Page') => new AppError('not_found', `${what} not found.`);
export const forbidden = (message = 'You do not have access to this page.') =>
  new AppError('forbidden', message);

const ROLE_NAMES: Record<string, string> = {
  student: 'a student',
  teacher: 'a teacher',
  staff: 'school staff',
  district_admin: 'a district admin',
  contact: 'a contact (guardian)',
};

/**
 * A page this account may not open because of its roles: says who the page is for and what the account is,
 * so the person knows it is not a fault (the page renders both, with where they can go instead).
 */
export function roleForbidden(user: { roles: string[] }, pageIsFor: string, why?: string): AppError {
  const roles = user.roles.map((r) => ROLE_NAMES[r] ?? r);
  const account = roles.length
    ? `Your account is ${roles.join(' and ')} in Clever`
    : 'Your account has no role in Clever';
  const message = `${account}, so it cannot open this page: it is for ${pageIsFor}.${why ? ` ${why}` : ''}`;
  return new AppError('forbidden', message, { pageIsFor, roles: user.roles });
}
