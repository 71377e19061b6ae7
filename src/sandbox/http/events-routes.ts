import type { Request, Response, Router } from 'express';
import type { StoredEvent } from '../store/event-log';
import type { SandboxStore } from '../store/store';
import type { ApiVersion, CleverEvent, RecordType } from '../store/store-types';
import type { Principal } from './principal';
import { pageLinks, pageOf, parsePaging } from './paging';
import { present } from './presenters';

// NOTE: events are district-token only, oldest first; `ending_before=last` finds the newest event;
// `record_type` is repeatable; `school` does not apply to terms, courses and contacts (clever-api.md §5).

const SINGULAR: Record<string, RecordType> = {
  districts: 'district',
  schools: 'school',
  users: 'user',
  sections: 'section',
  terms: 'term',
  courses: 'course',
};

function presentEvent(event: CleverEvent, version: ApiVersion): CleverEvent {
  const type = SINGULAR[String(event.type).split('.')[0]];
  if (!type || !event.data.object || typeof event.data.object !== 'object') return event; // injected as is
  const data: CleverEvent['data'] = { object: present(type, event.data.object, version) };
  if (event.data.previous_attributes)
    data.previous_attributes = present(type, event.data.previous_attributes, version);
  return { ...event, data };
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(asList);
  return typeof value === 'string' && value !== '' ? value.split(',') : [];
}

export function registerEventRoutes(router: Router, store: SandboxStore, version: ApiVersion): void {
  const district = (res: Response) => (res.locals.principal as Principal).district;

  router.get('/events', (req: Request, res: Response) => {
    const q = parsePaging(req);
    if ('status' in q) return res.status(q.status).json({ message: q.message });
    const types = asList(req.query.record_type).map((t) => (t.endsWith('s') ? t : `${t}s`));
    const school = typeof req.query.school === 'string' ? req.query.school : undefined;
    const events = store.listEvents(district(res));
    const byId = new Map<string, StoredEvent>(events.map((e) => [e.event.id, e]));
    // A cursor that is not one of the district's retained events (unknown, or dropped after 30 days) is a
    // 404 (Clever's events spec lists 404 for /events): reading on from it would silently skip events.
    if (q.startingAfter && !byId.has(q.startingAfter)) {
      return res.status(404).json({ message: 'Resource not found' });
    }
    const accept = (id: string) => {
      const e = byId.get(id)!;
      if (types.length > 0 && !types.includes(e.recordType)) return false;
      return !school || e.schools.includes(school);
    };
    const page = pageOf(
      events.map((e) => e.event.id),
      accept,
      q,
    );
    res.json({
      data: page.ids.map((id) => ({
        data: presentEvent(byId.get(id)!.event, version),
        uri: `/${version}/events/${id}`,
      })),
      links: pageLinks(req, q, page),
    });
  });

  router.get('/events/:id', (req: Request, res: Response) => {
    const stored = store.getEvent(String(req.params.id));
    if (!stored || stored.district !== district(res))
      return res.status(404).json({ message: 'Resource not found' });
    res.json({
      data: presentEvent(stored.event, version),
      links: [{ rel: 'self', uri: `/${version}/events/${stored.event.id}` }],
    });
  });
}
