// The only reader of the environment. Every key is documented in .env.example; startup fails listing
// every bad key at once. Names and defaults: docs/configuration.md.
import crypto from 'node:crypto';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z.url({ protocol: /^https?$/ });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  BASE_URL: optional(httpUrl),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: optional(z.string().regex(/^(\d+|true|false|loopback|[\d.:/, a-f]+)$/i)),
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// or postgresql:// URL'),
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  SIGNIN_RATE_LIMIT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).default(1200),
  ),
  SIGNIN_FAILURE_LIMIT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).default(100),
  ),
  PROGRESS_RATE_LIMIT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce.number().int().min(1).default(120),
  ),
  CLEVER_CLIENT_ID: optional(z.string().min(1)),
  USE_SANDBOX: bool.optional(),
  ALLOW_HTTP_BASE_URL: bool.optional(),
  CLEVER_CLIENT_SECRET: optional(z.string().min(1)),
  CLEVER_OAUTH_URL: httpUrl.default('https://clever.com'),
  CLEVER_API_URL: httpUrl.default('https://api.clever.com'),
  CLEVER_API_VERSION: z.enum(['v3.0', 'v3.1']).default('v3.0'),
  CLEVER_REDIRECT_URI: optional(httpUrl),
  CLEVER_TIMEOUT_MS: z.coerce.number().int().min(100).default(30000),
  MATCH_STUDENTS_BY_SIS_ID: bool.default(false),
  SANDBOX_PORT: port.default(3001),
  SANDBOX_SEED: z.string().min(1).default('sandbox'),
  SANDBOX_CLIENT_ID: z.string().min(1).default('sandbox-client'),
  SANDBOX_CLIENT_SECRET: z.string().min(1).default('sandbox-secret'),
  SYNC_SCHEDULE: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'must be a 5-field cron expression')
    .default('0 2 * * *'),
  SYNC_TIMEZONE: z.string().min(1).default('UTC'),
  SYNC_EVENTS_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  MASS_CHANGE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.1),
  SYNC_PAGE_SIZE: z.coerce.number().int().min(1).max(10000).default(1000),
  SYNC_WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(2),
  RUN_WORKERS: bool.default(true),
  SYNC_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(5).max(43_200).default(3600),
  SYNC_LOCK_TTL_SECONDS: z.coerce.number().int().min(3).max(3600).default(120),
  WORKER_PORT: z.preprocess((v) => (v === '' ? undefined : v), port.optional()),
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  RETENTION_DAYS: optional(z.string().regex(/^\d+$/, 'must be a whole number of days')),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  baseUrl: string;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: string | undefined;
  database: { url: string | undefined; dataDir: string; poolSize: number };
  session: {
    secret: string;
    /** No SESSION_SECRET: this process made its own, which no other instance accepts. */
    isSecretGenerated: boolean;
    idleMinutes: number;
    maxHours: number;
    secureCookies: boolean;
  };
  /** Sign-in requests allowed per minute from one address. */
  /** Requests a minute from one address to /auth/clever and its callback together. */
  signinRateLimit: number;
  /** Failed sign-ins (refused callbacks) from one address in 10 minutes before its sign-ins pause. */
  signinFailureLimit: number;
  /** Progress records one user may add a minute (POST /api/progress). */
  progressRateLimit: number;
  clever: {
    clientId: string;
    clientSecret: string;
    oauthUrl: string;
    apiUrl: string;
    apiVersion: 'v3.0' | 'v3.1';
    redirectUri: string;
    timeoutMs: number;
    matchStudentsBySisId: boolean;
  };
  /** Set when no Clever credentials are configured: the app starts the built-in sandbox and uses it. */
  sandbox: { port: number; seed: string; clientId: string; clientSecret: string } | null;
  sync: {
    schedule: string;
    timezone: string;
    /** Minutes between scheduled events syncs of each connected district; 0: no scheduled events sync. */
    eventsIntervalMinutes: number;
    massChangeThreshold: number;
    runWorkers: boolean;
    /** `limit` of every Clever listing a sync reads (records per page; Clever allows up to 10000). */
    pageSize: number;
    writeConcurrency: number;
    /** A sync job whose worker stopped answering is handed to another worker after this long. */
    jobExpireSeconds: number;
    /** A district's sync lease lapses this long after its worker's last heartbeat. */
    lockTtlSeconds: number;
  };
  /** `npm run worker`: port of its /healthz, /readyz and /metrics (null: no HTTP listener). */
  workerPort: number | null;
  /** Bearer token for /metrics; null: /metrics answers loopback only (and nobody in production). */
  metricsToken: string | null;
  retentionDays: number | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(source);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const env = parsed.data;
  const hasId = Boolean(env.CLEVER_CLIENT_ID);
  if (hasId !== Boolean(env.CLEVER_CLIENT_SECRET)) {
    problems.push(
      `${hasId ? 'CLEVER_CLIENT_SECRET' : 'CLEVER_CLIENT_ID'}: set both CLEVER_CLIENT_ID and CLEVER_CLIENT_SECRET, or neither (sandbox)`,
    );
  }
  if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
    problems.push('SESSION_SECRET: required when NODE_ENV=production');
  }
  if (env.NODE_ENV === 'production' && !hasId && !env.USE_SANDBOX) {
    // Without this, a production deploy that lost its secrets would start the sandbox and sync its invented
    // districts into the production database.
    problems.push(
      'CLEVER_CLIENT_ID: required when NODE_ENV=production (set USE_SANDBOX=true to run the built-in Clever sandbox on purpose)',
    );
  }
  if (env.NODE_ENV === 'production' && !env.BASE_URL?.startsWith('https://') && !env.ALLOW_HTTP_BASE_URL) {
    problems.push(
      'BASE_URL: must be the public https:// URL when NODE_ENV=production (cookies lose Secure and the __Host- prefix over http; set ALLOW_HTTP_BASE_URL=true only for a deliberate plain-http deployment)',
    );
  }
  if (problems.length) throw new ConfigError(problems);

  const baseUrl = (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const sandbox = hasId
    ? null
    : {
        port: env.SANDBOX_PORT,
        seed: env.SANDBOX_SEED,
        clientId: env.SANDBOX_CLIENT_ID,
        clientSecret: env.SANDBOX_CLIENT_SECRET,
      };
  const sandboxUrl = sandbox ? `http://localhost:${sandbox.port}` : '';
  return Object.freeze({
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    baseUrl,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    database: { url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: env.DATABASE_POOL_SIZE },
    session: {
      // A development secret is generated per start: sessions then end at restart, which is fine locally.
      secret: env.SESSION_SECRET ?? crypto.randomBytes(32).toString('hex'),
      isSecretGenerated: !env.SESSION_SECRET,
      idleMinutes: env.SESSION_IDLE_MINUTES,
      maxHours: env.SESSION_MAX_HOURS,
      secureCookies: baseUrl.startsWith('https://'),
    },
    signinRateLimit: env.SIGNIN_RATE_LIMIT,
    signinFailureLimit: env.SIGNIN_FAILURE_LIMIT,
    progressRateLimit: env.PROGRESS_RATE_LIMIT,
    clever: {
      clientId: sandbox ? sandbox.clientId : env.CLEVER_CLIENT_ID!,
      clientSecret: sandbox ? sandbox.clientSecret : env.CLEVER_CLIENT_SECRET!,
      oauthUrl: (sandbox ? sandboxUrl : env.CLEVER_OAUTH_URL).replace(/\/$/, ''),
      apiUrl: (sandbox ? sandboxUrl : env.CLEVER_API_URL).replace(/\/$/, ''),
      apiVersion: env.CLEVER_API_VERSION,
      redirectUri: env.CLEVER_REDIRECT_URI ?? `${baseUrl}/auth/clever/callback`,
      timeoutMs: env.CLEVER_TIMEOUT_MS,
      matchStudentsBySisId: env.MATCH_STUDENTS_BY_SIS_ID,
    },
    sandbox,
    sync: {
      schedule: env.SYNC_SCHEDULE,
      timezone: env.SYNC_TIMEZONE,
      eventsIntervalMinutes: env.SYNC_EVENTS_INTERVAL_MINUTES,
      massChangeThreshold: env.MASS_CHANGE_THRESHOLD,
      runWorkers: env.RUN_WORKERS,
      pageSize: env.SYNC_PAGE_SIZE,
      writeConcurrency: env.SYNC_WRITE_CONCURRENCY,
      jobExpireSeconds: env.SYNC_JOB_EXPIRE_SECONDS,
      lockTtlSeconds: env.SYNC_LOCK_TTL_SECONDS,
    },
    workerPort: env.WORKER_PORT ?? null,
    metricsToken: env.METRICS_TOKEN ?? null,
    retentionDays: env.RETENTION_DAYS ? Number(env.RETENTION_DAYS) : null,
  });
}

/** Reads `.env` (if present) into the environment, then parses it. */
export function loadConfigFromEnvironment(): Config {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('dotenv').config({ quiet: true });
  return loadConfig(process.env);
}

/** For entry points: the configuration, or a message naming every bad key and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfigFromEnvironment();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(78);
  }
}
