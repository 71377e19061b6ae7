import { IdFactory, isoTimestamp } from './ids';
import { PLURAL, type CleverEvent, type CleverObject, type CleverUser, type RecordType } from './store-types';

export type ChangeKind = 'created' | 'updated' | 'deleted';

interface Change {
  kind: ChangeKind;
  type: RecordType;
  object: CleverObject;
  previous?: CleverObject;
}

export interface StoredEvent {
  event: CleverEvent;
  district: string;
  recordType: string;
  /** Schools the object belongs to, for `?school=` (not offered for terms, courses, contacts). */
  schools: string[];
}

// NOTE: Clever orders one sync batch as creates, then updates (same order), then deletes in the
// reverse-ish order below (clever-api.md §5). Users are placed by role.
const CREATE_ORDER = [
  'district',
  'district_admin',
  'school',
  'term',
  'course',
  'student',
  'contact',
  'teacher',
  'section',
  'staff',
];
const DELETE_ORDER = [
  'staff',
  'section',
  'teacher',
  'contact',
  'student',
  'term',
  'course',
  'school',
  'district_admin',
  'district',
];
const KIND_ORDER: ChangeKind[] = ['created', 'updated', 'deleted'];
const RETENTION_MS = 30 * 24 * 3600 * 1000; // NOTE: events are kept 30 days (clever-api.md §5)

function category(change: Change): string {
  if (change.type !== 'user') return change.type;
  const roles = (change.object as CleverUser).roles;
  for (const role of ['district_admin', 'student', 'contact', 'teacher', 'staff'] as const) {
    if (roles[role]) return role;
  }
  return 'student';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested partial object holding the old values of changed fields (Clever's previous_attributes). */
export function previousAttributes(before: unknown, after: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isPlainObject(before) || !isPlainObject(after)) return out;
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    // Clever's recorded previous_attributes never list the bumped last_modified (clever-api.md App. A).
    if (depth === 0 && key === 'last_modified') continue;
    const [a, b] = [before[key], after[key]];
    if (isPlainObject(a) && isPlainObject(b)) {
      const nested = previousAttributes(a, b, depth + 1);
      if (Object.keys(nested).length > 0) out[key] = nested;
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      out[key] = key in before ? a : null;
    }
  }
  return out;
}

function schoolsOf(type: RecordType, object: CleverObject): string[] {
  if (type === 'school') return [object.id];
  if (type === 'section') return [(object as { school: string }).school];
  if (type !== 'user') return [];
  const roles = (object as CleverUser).roles;
  return [
    ...(roles.student?.schools ?? []),
    ...(roles.teacher?.schools ?? []),
    ...(roles.staff?.schools ?? []),
  ];
}

/** Collects the changes of one mutation, then writes them as events in Clever's batch order. */
export class EventBatch {
  private readonly changes: Change[] = [];

  created(type: RecordType, object: CleverObject): this {
    this.changes.push({ kind: 'created', type, object });
    return this;
  }

  updated(type: RecordType, before: CleverObject, after: CleverObject): this {
    this.changes.push({ kind: 'updated', type, object: after, previous: before });
    return this;
  }

  deleted(type: RecordType, object: CleverObject): this {
    this.changes.push({ kind: 'deleted', type, object });
    return this;
  }

  ordered(): Change[] {
    const rank = (c: Change): number => {
      const cat = category(c);
      const list = c.kind === 'deleted' ? DELETE_ORDER : CREATE_ORDER;
      return KIND_ORDER.indexOf(c.kind) * 100 + list.indexOf(cat);
    };
    return this.changes
      .map((c, i) => ({ c, i, r: rank(c) }))
      .sort((x, y) => x.r - y.r || x.i - y.i)
      .map((x) => x.c);
  }
}

export class EventLog {
  private readonly byDistrict = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  // Event ids never restart, even after reset(), so a client's saved cursor stays meaningful.
  private readonly ids: IdFactory;

  constructor(
    seed: string,
    private readonly now: () => number,
  ) {
    this.ids = new IdFactory(`${seed}:events`, Math.floor(now() / 1000));
  }

  write(district: string, batch: EventBatch): CleverEvent[] {
    const written: CleverEvent[] = [];
    for (const change of batch.ordered()) {
      const data: CleverEvent['data'] = { object: change.object };
      if (change.kind === 'updated') {
        const previous = previousAttributes(change.previous, change.object);
        if (Object.keys(previous).length === 0) continue; // nothing changed: Clever sends no event
        data.previous_attributes = previous;
      }
      const event: CleverEvent = {
        id: this.ids.next(),
        type: `${PLURAL[change.type]}.${change.kind}`,
        created: isoTimestamp(this.now()),
        data,
      };
      const stored = {
        event,
        district,
        recordType: PLURAL[change.type],
        schools: schoolsOf(change.type, change.object),
      };
      let list = this.byDistrict.get(district);
      if (!list) this.byDistrict.set(district, (list = []));
      list.push(stored);
      this.byId.set(event.id, stored);
      written.push(event);
    }
    return written;
  }

  /**
   * Fault injection: one event exactly as given (nothing checked), for testing how a client treats an event
   * it cannot read. Real mutations go through `write`.
   */
  writeRaw(district: string, raw: { type: unknown; object: unknown }): CleverEvent {
    const event = {
      id: this.ids.next(),
      type: raw.type,
      created: isoTimestamp(this.now()),
      data: { object: raw.object },
    } as unknown as CleverEvent;
    const stored = { event, district, recordType: String(raw.type).split('.')[0] ?? '', schools: [] };
    let list = this.byDistrict.get(district);
    if (!list) this.byDistrict.set(district, (list = []));
    list.push(stored);
    this.byId.set(event.id, stored);
    return event;
  }

  /** Events of a district still inside the 30-day retention window, oldest first. */
  list(district: string): StoredEvent[] {
    const list = this.byDistrict.get(district) ?? [];
    const cutoff = this.now() - RETENTION_MS;
    while (list.length > 0 && Date.parse(list[0].event.created) < cutoff) {
      this.byId.delete(list.shift()!.event.id);
    }
    return list;
  }

  get(id: string): StoredEvent | undefined {
    return this.byId.get(id);
  }

  clear(): void {
    this.byDistrict.clear();
    this.byId.clear();
  }
}

export { CREATE_ORDER as EVENT_CREATE_ORDER, DELETE_ORDER as EVENT_DELETE_ORDER };
