import type { Request, Response } from 'express';
import type { SandboxStore } from '../store/store';
import type { ApiVersion, CleverObject, RecordType } from '../store/store-types';
import { pageLinks, pageOf, parsePaging } from './paging';
import { present, uriOf } from './presenters';

export interface ListContext {
  req: Request;
  res: Response;
  store: SandboxStore;
  version: ApiVersion;
}

/** Answers one page of a Clever list: `{data: [{data, uri}], links}` (NOTE: clever-api.md §4.1). */
export function listOf(
  { req, res, store, version }: ListContext,
  type: RecordType,
  ids: readonly string[],
  accept: (id: string) => boolean,
): void {
  const q = parsePaging(req);
  if ('status' in q) {
    res.status(q.status).json({ message: q.message });
    return;
  }
  const page = pageOf(ids, accept, q);
  const load = (id: string): CleverObject =>
    type === 'district' ? store.getDistrict(id)! : store.peek(type, id)!;
  const item = (id: string) => ({ data: present(type, load(id), version), uri: uriOf(type, id, version) });
  const links = pageLinks(req, q, page);
  if (page.ids.length < STREAM_FROM || res.locals.jsonWrapped) {
    res.json({ data: page.ids.map(item), links });
    return;
  }
  // Large pages are written item by item, waiting for the socket to drain: building 10,000 expanded
  // users as one tree (or queueing all chunks) would double the sandbox's memory on Scale USD syncs.
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  void streamItems(res, page.ids, item, links).catch(() => res.destroy());
}

async function streamItems(
  res: Response,
  ids: string[],
  item: (id: string) => object,
  links: object,
): Promise<void> {
  let chunk = '{"data":[';
  for (let i = 0; i < ids.length; i++) {
    chunk += (i > 0 ? ',' : '') + JSON.stringify(item(ids[i]));
    if (chunk.length < 64 * 1024) continue;
    const flushed = res.write(chunk);
    chunk = '';
    if (!flushed) await new Promise((resolve) => res.once('drain', resolve));
    if (res.destroyed) return;
  }
  res.end(`${chunk}],"links":${JSON.stringify(links)}}`);
}

const STREAM_FROM = 500;
