import type { z } from 'zod';
import { CleverBadResponseError } from './clever-errors';
import type { CleverHttp, QueryParams } from './http';
import { toIssues, type CleverValidationIssue } from './schema-helpers';
import { CleverListEnvelopeSchema } from './clever-types';

/** Gets each record that fails its schema; the record is then skipped (one bad record never fails a sync). */
export type OnInvalidRecord = (
  record: unknown,
  issues: CleverValidationIssue[],
  context: { path: string },
) => void;

export interface PaginateOptions<T> {
  http: CleverHttp;
  host: 'api' | 'oauth';
  token: string;
  /** First page: versioned path plus query; later pages come from `next` links only. */
  path: string;
  query?: QueryParams;
  schema: z.ZodType<T>;
  onInvalid?: OnInvalidRecord;
}

/**
 * Yields page after page of validated records, following `rel: next` links until there is none.
 * NOTE: clients must follow links, not build URLs (https://dev.clever.com/docs/paging-and-limits). A repeated
 * `starting_after` cursor or a repeated link is a loop and fails the listing: a sync must never treat a loop
 * as "done" (docs/decisions/0002-sync-mark-and-sweep.md).
 */
export async function* paginate<T>(options: PaginateOptions<T>): AsyncGenerator<T[], void, undefined> {
  const fetched = new Set<string>();
  const cursors = new Set<string>();
  let next: { path: string; query?: QueryParams } | undefined = { path: options.path, query: options.query };

  while (next) {
    const page: ReadPage<T> = await readPage(options, next, fetched, cursors);
    yield page.records;
    next = page.next;
    if (next && (fetched.has(next.path) || cursorRepeats(next.path, cursors))) failLoop(next.path);
  }
}

interface ReadPage<T> {
  records: T[];
  next: { path: string; query?: QueryParams } | undefined;
}

/**
 * One page, validated. A function of its own so that the parsed body and its envelope are garbage by the time
 * the page is yielded: a generator keeps its locals while the caller writes the page.
 */
async function readPage<T>(
  options: PaginateOptions<T>,
  link: { path: string; query?: QueryParams },
  fetched: Set<string>,
  cursors: Set<string>,
): Promise<ReadPage<T>> {
  const { http, host, token, schema, onInvalid } = options;
  const response = await http.request({ host, path: link.path, query: link.query, auth: { bearer: token } });
  const path = response.path;
  rememberOrFail(path, fetched, cursors);

  const envelope = CleverListEnvelopeSchema.safeParse(response.body);
  if (!envelope.success) {
    throw new CleverBadResponseError(`Clever's page ${path} is not a list envelope`, {
      code: 'bad_envelope',
      path,
      issues: toIssues(envelope.error),
    });
  }

  const records: T[] = [];
  for (const item of envelope.data.data) {
    const parsed = schema.safeParse(item.data);
    if (parsed.success) records.push(parsed.data);
    else onInvalid?.(item.data, toIssues(parsed.error), { path });
  }

  const nextUri = envelope.data.links?.find((l) => l.rel === 'next')?.uri;
  return { records, next: nextUri ? { path: resolveLink(nextUri, http, host, path) } : undefined };
}

function rememberOrFail(path: string, fetched: Set<string>, cursors: Set<string>): void {
  if (fetched.has(path)) failLoop(path);
  fetched.add(path);
  const cursor = cursorOf(path);
  if (cursor !== null) {
    if (cursors.has(cursor)) failLoop(path);
    cursors.add(cursor);
  }
}

function cursorRepeats(path: string, cursors: Set<string>): boolean {
  const cursor = cursorOf(path);
  return cursor !== null && cursors.has(cursor);
}

function cursorOf(path: string): string | null {
  return new URL(path, 'http://link.invalid').searchParams.get('starting_after');
}

function failLoop(path: string): never {
  throw new CleverBadResponseError(`Clever's pagination loops back to ${path}`, {
    code: 'pagination_loop',
    path,
  });
}

/**
 * Turns a `links[].uri` into a path for the same host. Absolute URLs must point at the configured host (the
 * bearer token must never be sent elsewhere).
 * NOTE: Clever's link uris are already versioned (`/v3.0/users?...`): they are used as
 * they are, except that a different version prefix is replaced by ours so that a v3.1 sync does not silently
 * continue in v3.0 shapes after page one (user ids are identical across versions,
 * https://dev.clever.com/docs/api-v3-upgrade-guide).
 */
export function resolveLink(uri: string, http: CleverHttp, host: 'api' | 'oauth', from: string): string {
  const base = new URL(host === 'oauth' ? http.oauthUrl : http.apiUrl);
  let path: string;
  if (/^https?:\/\//i.test(uri)) {
    const target = new URL(uri);
    if (target.origin !== base.origin) {
      throw new CleverBadResponseError(`Clever's page ${from} links to another host`, {
        code: 'bad_link',
        path: from,
      });
    }
    path = `${target.pathname}${target.search}`;
    const prefix = base.pathname.replace(/\/+$/, '');
    if (prefix && path.startsWith(`${prefix}/`)) path = path.slice(prefix.length);
  } else if (uri.startsWith('/')) {
    path = uri;
  } else {
    throw new CleverBadResponseError(`Clever's page ${from} has an unusable next link`, {
      code: 'bad_link',
      path: from,
    });
  }
  if (host === 'oauth') return path;
  const versioned = path.match(/^\/v\d+\.\d+(\/.*)?$/);
  return versioned ? http.apiPath(versioned[1] ?? '/') : http.apiPath(path);
}
