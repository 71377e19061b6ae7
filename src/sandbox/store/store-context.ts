import { SandboxError } from './store-errors';
import type { EventBatch, EventLog } from './event-log';
import type { IdFactory } from './ids';
import type { RecordTable } from './records';
import type {
  CleverDistrict,
  CleverEvent,
  CleverSection,
  CleverUser,
  MutableType,
  TypeMap,
} from './store-types';

/** What a mutation needs: the records, the id sequence, the event log and the clock. */
export interface MutationContext {
  table: RecordTable;
  districts: Map<string, CleverDistrict>;
  ids: IdFactory;
  events: EventLog;
  now(): number;
}

export const MUTABLE_TYPES: MutableType[] = ['school', 'user', 'section', 'term', 'course'];

export function assertType(type: string): MutableType {
  if (!MUTABLE_TYPES.includes(type as MutableType)) {
    throw new SandboxError(400, `type must be one of ${MUTABLE_TYPES.join(', ')}`);
  }
  return type as MutableType;
}

/** The record (shared or not, but not deleted), or a 404 SandboxError. */
export function mustPeek<T extends MutableType>(ctx: MutationContext, type: T, id: string): TypeMap[T] {
  const record = ctx.table.peek(type, id);
  if (!record || ctx.table.status(id) === 'deleted') throw new SandboxError(404, `no ${type} with id ${id}`);
  return record;
}

export function mustDistrict(ctx: MutationContext, id: string): CleverDistrict {
  const district = ctx.districts.get(id);
  if (!district) throw new SandboxError(404, `no district with id ${id}`);
  return district;
}

const HAS_TIMESTAMPS = new Set<MutableType>(['school', 'user', 'section']);

/**
 * Copy-on-write update of one record, recorded in the batch as `*.updated`. The callback edits a
 * clone, so event snapshots already written keep their old values.
 */
export function update<T extends MutableType>(
  ctx: MutationContext,
  batch: EventBatch,
  type: T,
  id: string,
  edit: (draft: TypeMap[T]) => void,
): TypeMap[T] {
  const before = mustPeek(ctx, type, id);
  const after = structuredClone(before);
  edit(after);
  if (JSON.stringify(before) === JSON.stringify(after)) return before;
  if (HAS_TIMESTAMPS.has(type))
    (after as { last_modified: string }).last_modified = new Date(ctx.now()).toISOString();
  ctx.table.replace(type, after);
  // Unshared records change silently: the app is not told about records it cannot see.
  if (ctx.table.isShared(id)) batch.updated(type, before, after);
  return after;
}

export function updateDistrict(
  ctx: MutationContext,
  batch: EventBatch,
  id: string,
  edit: (draft: CleverDistrict) => void,
): CleverDistrict {
  const before = mustDistrict(ctx, id);
  const after = structuredClone(before);
  edit(after);
  ctx.districts.set(id, after);
  batch.updated('district', before, after);
  return after;
}

export function commit(ctx: MutationContext, district: string, batch: EventBatch): CleverEvent[] {
  return ctx.events.write(district, batch);
}

/** Sections (any sharing state except deleted) of a district that list this user. */
export function sectionsOfUser(ctx: MutationContext, district: string, userId: string): CleverSection[] {
  const out: CleverSection[] = [];
  for (const id of ctx.table.ids(district, 'section')) {
    if (ctx.table.status(id) === 'deleted') continue;
    const section = ctx.table.peek('section', id)!;
    if (section.students.includes(userId) || section.teachers.includes(userId)) out.push(section);
  }
  return out;
}

export function userSchools(user: CleverUser): string[] {
  const r = user.roles;
  return [
    ...new Set([...(r.student?.schools ?? []), ...(r.teacher?.schools ?? []), ...(r.staff?.schools ?? [])]),
  ];
}
