import type { Request } from 'express';
import { lowerBound, upperBound } from '../store/records';

// NOTE: cursor pagination over ascending ids; default 100, max 10000, above → 413; `next` only when
// more items exist, `prev` on every starting_after page, `limit` and filters carried along
// (https://dev.clever.com/docs/paging-and-limits).
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10000;

export interface PageRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export type PagingError = { status: 400 | 413; message: string };

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return single(value[value.length - 1]);
  return typeof value === 'string' ? value : undefined;
}

export function parsePaging(req: Request): PageRequest | PagingError {
  const raw = single(req.query.limit);
  let limit = DEFAULT_LIMIT;
  if (raw !== undefined && raw !== '') {
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      return { status: 400, message: 'limit must be a positive integer' };
    limit = Number(raw);
    if (limit > MAX_LIMIT) return { status: 413, message: `limit may not exceed ${MAX_LIMIT}` };
  }
  return {
    limit,
    startingAfter: single(req.query.starting_after) || undefined,
    endingBefore: single(req.query.ending_before) || undefined,
  };
}

export interface Page {
  ids: string[];
  hasMore: boolean;
  hasEarlier: boolean;
  backwards: boolean;
}

/** One page of `ids` (ascending) keeping those `accept` lets through. */
export function pageOf(ids: readonly string[], accept: (id: string) => boolean, q: PageRequest): Page {
  const out: string[] = [];
  if (q.endingBefore && !q.startingAfter) {
    let j = q.endingBefore === 'last' ? ids.length - 1 : lowerBound(ids, q.endingBefore) - 1;
    for (; j >= 0 && out.length < q.limit; j--) if (accept(ids[j])) out.push(ids[j]);
    let hasEarlier = false;
    for (; j >= 0 && !hasEarlier; j--) hasEarlier = accept(ids[j]);
    return { ids: out.reverse(), hasMore: true, hasEarlier, backwards: true };
  }
  const end = q.endingBefore && q.endingBefore !== 'last' ? lowerBound(ids, q.endingBefore) : ids.length;
  let i = q.startingAfter ? upperBound(ids, q.startingAfter) : 0;
  for (; i < end && out.length < q.limit; i++) if (accept(ids[i])) out.push(ids[i]);
  let hasMore = false;
  for (; i < end && !hasMore; i++) hasMore = accept(ids[i]);
  return { ids: out, hasMore, hasEarlier: Boolean(q.startingAfter), backwards: false };
}

/** self/next/prev links; self echoes the request, the others swap the cursor and keep the rest. */
export function pageLinks(req: Request, q: PageRequest, page: Page) {
  const url = new URL(req.originalUrl, 'http://sandbox');
  const self = url.pathname + url.search;
  const withCursor = (key: 'starting_after' | 'ending_before', id: string) => {
    const params = new URLSearchParams(url.search);
    params.delete('starting_after');
    params.delete('ending_before');
    params.append(key, id);
    return `${url.pathname}?${params.toString()}`;
  };
  const links = [{ rel: 'self', uri: self }];
  const first = page.ids[0];
  const last = page.ids[page.ids.length - 1];
  if (page.hasMore && last) links.push({ rel: 'next', uri: withCursor('starting_after', last) });
  if (page.hasEarlier) {
    const before = first ?? q.startingAfter;
    if (before) links.push({ rel: 'prev', uri: withCursor('ending_before', before) });
  }
  return links;
}
