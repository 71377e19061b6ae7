// The closed set of errors the app raises on purpose. Each has a stable code; only the web layer
// (src/web/middleware/error-handler.ts) maps a code to an HTTP status and a page or JSON body.
export type AppErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'login_failed'
  | 'sign_in_expired'
  | 'clever_refused'
  | 'not_shared'
  | 'account_archived'
  | 'clever_unavailable'
  | 'sync_running'
  | 'data_dir_locked'
  | 'data_dir_insecure'
  | 'config_invalid'
  | 'rate_limited'
  | 'payload_too_large';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** Clever does not share this person with the app: at Clever's consent screen or when we fetch their record. */
export const notShared = () =>
  new AppError(
    'not_shared',
    'Your school has not shared your Clever account with this app. Ask your teacher or school administrator to add you.',
  );

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
