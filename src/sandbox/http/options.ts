export interface AppOptions {
  clientId: string;
  clientSecret: string;
  /** Exact allow-list; the first is the primary URI used by portal and Instant Login launches. */
  redirectUris: string[];
  rateLimitPerMinute: number;
  logger: (msg: string) => void;
}

export const DEFAULT_APP_OPTIONS: AppOptions = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  redirectUris: ['http://localhost:3000/auth/clever/callback'],
  rateLimitPerMinute: 1200,
  logger: () => {},
};

// NOTE: the SSO tier's scopes (https://dev.clever.com/docs/setting-up-district-sso).
export const SSO_SCOPES = [
  'read:district_admins_basic',
  'read:school_admins_basic',
  'read:students_basic',
  'read:teachers_basic',
  'read:user_id',
];
