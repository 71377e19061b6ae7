// What can go wrong between Clever and us while someone signs in, as the app's own errors, raised where it
// happens (the code exchange and /me in clever-strategy.ts); the web error handler renders them.
import { CleverError, OAuthError } from '../clever/clever-errors';
import { AppError, notShared } from '../errors';

/** A reused or expired code (a refreshed callback page, a double click): the sign-in starts again. */
export const signInExpired = () =>
  new AppError(
    'sign_in_expired',
    'This sign-in has expired. Please start again from the Log in with Clever button.',
  );

/** Clever's answer to the code exchange or to /me, as an AppError (anything else is passed on as it is). */
export function toLoginError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (err instanceof OAuthError && err.code === 'invalid_grant') return signInExpired();
  if (err instanceof CleverError || err instanceof OAuthError) {
    return new AppError('login_failed', 'Clever could not complete your sign-in. Please try again.', {
      cause: { code: (err as CleverError).code, status: (err as CleverError).status },
    });
  }
  return err;
}

/** Clever's own error on the callback (`?error=…`): the person was refused at Clever's side. */
export function cleverRefused(error: string): AppError {
  return error === 'unauthorized-user'
    ? notShared()
    : new AppError(
        'clever_refused',
        'Clever returned an error while signing you in. You can try again, or go back to the start page.',
      );
}
