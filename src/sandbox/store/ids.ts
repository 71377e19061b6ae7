import { createHash, randomBytes } from 'node:crypto';

// NOTE: Clever ids are 24-hex ObjectIds that ascend with creation time, and lists sort by them
// (https://dev.clever.com/docs/paging-and-limits). A seed-derived "machine" part keeps ids deterministic per
// seed and distinct between seeds; the time part and counter ascend so creation order = id order.

export function hashHex(input: string, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    out += createHash('sha256').update(`${input}#${i}`).digest('hex');
  }
  return out.slice(0, length);
}

/** 2017-04-10T00:00:00Z, around when Clever's Certification ISD was created. */
const DEFAULT_BASE_SECONDS = 1491782400;

export class IdFactory {
  private count = 0;
  private readonly machine: string;

  constructor(
    namespace: string,
    private readonly baseSeconds = DEFAULT_BASE_SECONDS,
  ) {
    this.machine = hashHex(namespace, 10);
  }

  next(): string {
    const n = this.count++;
    return (
      (this.baseSeconds + n).toString(16).padStart(8, '0') +
      this.machine +
      (n & 0xffffff).toString(16).padStart(6, '0')
    );
  }

  /** Timestamp matching the time part of the most recent id, with milliseconds (Clever's format). */
  lastTimestamp(): string {
    const n = this.count - 1;
    return new Date((this.baseSeconds + n) * 1000 + (n % 1000)).toISOString();
  }
}

/** Unguessable secrets (codes, SSO tokens) are random, never derived from the seed. */
export function randomToken(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString('hex');
}

export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
