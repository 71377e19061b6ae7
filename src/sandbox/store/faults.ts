import { SandboxError } from './store-errors';

export type FaultKind = '429' | '5xx' | 'hang' | 'truncated' | 'malformed' | 'loop';
const KINDS: FaultKind[] = ['429', '5xx', 'hang', 'truncated', 'malformed', 'loop'];

export interface FaultSpec {
  /** Data API path without the version: a prefix ('/users'), or a RegExp / string starting with '^'. */
  path: string | RegExp;
  kind: FaultKind;
  /** HTTP status for '5xx' (default 500). */
  status?: number;
  /** How many requests the fault hits (default: forever). */
  times?: number;
  /** Let this many matching requests through first, so the fault hits page n+1. */
  afterPages?: number;
  /** For '429': seconds until X-RateLimit-Reset (default 60). */
  resetSeconds?: number;
  /** For '429': also send Retry-After (Clever does not document it; clever-api.md §6). */
  retryAfter?: boolean;
}

export interface Fault extends FaultSpec {
  id: number;
  seen: number;
  hits: number;
}

export class FaultRegistry {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    if (!KINDS.includes(spec.kind)) throw new SandboxError(400, `unknown fault kind "${spec.kind}"`);
    if (typeof spec.path !== 'string' && !(spec.path instanceof RegExp)) {
      throw new SandboxError(400, 'fault path must be a string');
    }
    const fault: Fault = { ...spec, times: spec.times ?? Infinity, id: this.nextId++, seen: 0, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f, path: f.path instanceof RegExp ? f.path.source : f.path }));
  }

  /** The fault that should hit this request, counting it; undefined lets the request through. */
  match(path: string): Fault | undefined {
    for (const fault of this.faults) {
      if (!matches(fault.path, path)) continue;
      fault.seen++;
      if (fault.seen <= (fault.afterPages ?? 0)) continue;
      if (fault.hits >= (fault.times ?? Infinity)) continue;
      fault.hits++;
      return fault;
    }
    return undefined;
  }
}

function matches(pattern: string | RegExp, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(path);
  if (pattern.startsWith('^')) return new RegExp(pattern).test(path);
  return path.startsWith(pattern);
}
