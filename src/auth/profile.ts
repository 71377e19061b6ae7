// Turns Clever's `/v3.x/me` answer into the identity this app signs in. Pure and fixture-tested.
// NOTE: in v3 `type` is always "user": roles come from the user record, never from /me (clever-api.md §2.6).
import { CleverMeSchema } from '../clever/clever-types';
import { AppError } from '../errors';

export interface CleverProfile {
  provider: 'clever';
  /** The v3 multi-role user id: the key of the account. */
  id: string;
  /** The district that authorised the login; absent for Clever Library logins. */
  districtId: string | null;
  authorizedBy: string | null;
}

export function parseCleverProfile(json: unknown): CleverProfile {
  const parsed = CleverMeSchema.safeParse(json);
  if (!parsed.success)
    throw new AppError('login_failed', 'Clever did not say who signed in. Please try again.');
  const { data } = parsed.data;
  return {
    provider: 'clever',
    id: data.id,
    districtId: data.district ?? null,
    authorizedBy: data.authorized_by ?? null,
  };
}
