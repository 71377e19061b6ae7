// The built-in Clever sandbox: an emulator of Clever's OAuth host and Data API v3.0/v3.1 for the
// offline demo and for tests. See docs/sandbox.md.
import type express from 'express';
import { createSandboxApp as createApp } from './sandbox-app';
import type { Personas } from './dataset/personas';
import type { AppOptions } from './http/options';
import { listen, type RunningSandbox } from './sandbox-server';
import { SandboxStore, type StoreOptions } from './store/store';

export type { Personas } from './dataset/personas';
export type { ScaleOptions } from './dataset/scale';
export type { SandboxStats } from './store/stats';
export type { Fault, FaultKind, FaultSpec } from './store/faults';
export type { MoveStudent, NewSection, NewUser } from './store/roster-store';
export type * from './store/store-types';
export { SandboxError } from './store/store-errors';
export { SandboxStore, DISTRICT_SCOPES, type DistrictTokenRecord, type StoreOptions } from './store/store';
export type { RunningSandbox } from './sandbox-server';

export interface SandboxOptions {
  port?: number; // 0 = random; default 3001
  host?: string; // default '127.0.0.1'
  seed?: string; // dataset seed, default 'sandbox'
  clientId?: string; // default 'sandbox-client'
  clientSecret?: string; // default 'sandbox-secret'
  /** Exact allow-list; the first is primary (portal launches go there). */
  redirectUris?: string[];
  /** Adds a generated large district "Scale USD". */
  scale?: { students: number; teachers?: number; sections?: number; studentsPerSection?: number };
  rateLimitPerMinute?: number; // default 1200 per token
  logger?: (msg: string) => void;
  /** Milliseconds since the epoch; for tests that expire codes, tokens and rate-limit windows. */
  clock?: () => number;
}

/** Stable names → Clever ids of the edge-case records, for the default seed ('sandbox'). */
export const PERSONAS: Readonly<Personas> = Object.freeze(new SandboxStore({ seed: 'sandbox' }).personas);

export function createSandboxStore(
  opts: Pick<SandboxOptions, 'seed' | 'scale' | 'clock'> = {},
): SandboxStore {
  return new SandboxStore(opts satisfies StoreOptions);
}

type AppLevelOptions = Pick<
  SandboxOptions,
  'clientId' | 'clientSecret' | 'redirectUris' | 'rateLimitPerMinute' | 'logger'
>;

function appOptionsOf(opts: AppLevelOptions): Partial<AppOptions> {
  const out: Partial<AppOptions> = {};
  if (opts.clientId !== undefined) out.clientId = opts.clientId;
  if (opts.clientSecret !== undefined) out.clientSecret = opts.clientSecret;
  if (opts.redirectUris !== undefined) out.redirectUris = opts.redirectUris;
  if (opts.rateLimitPerMinute !== undefined) out.rateLimitPerMinute = opts.rateLimitPerMinute;
  if (opts.logger !== undefined) out.logger = opts.logger;
  return out;
}

/** The Express app alone, for supertest. */
export function createSandboxApp(store: SandboxStore, opts: AppLevelOptions = {}): express.Express {
  return createApp(store, appOptionsOf(opts));
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const store = createSandboxStore(opts);
  const running = await listen(store, appOptionsOf(opts), opts.host ?? '127.0.0.1', opts.port ?? 3001);
  opts.logger?.(`Clever sandbox listening on ${running.url}`);
  return running;
}
