import type { CleverObject, CleverUser, MutableType, Role, TypeMap } from './store-types';

/**
 * A user the scale generator describes by index only; it becomes a full object on read, so 200k
 * students cost a few dozen bytes each until something changes them (then they are materialised).
 */
export interface LazyUser {
  readonly lazy: true;
  readonly id: string;
  readonly role: Role;
  readonly schools: readonly string[];
  expand(): CleverUser;
}

export type Visibility = 'shared' | 'unshared' | 'deleted';

interface Entry {
  type: MutableType;
  district: string;
  status: Visibility;
  value: CleverObject | LazyUser;
}

function isLazy(value: CleverObject | LazyUser): value is LazyUser {
  return (value as LazyUser).lazy === true;
}

export function upperBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every non-district record of every sandbox district, with its sharing state and id order. */
export class RecordTable {
  private readonly entries = new Map<string, Entry>();
  private readonly order = new Map<string, string[]>();

  add<T extends MutableType>(type: T, district: string, value: TypeMap[T] | LazyUser): void {
    const id = value.id;
    this.entries.set(id, { type, district, status: 'shared', value });
    const key = `${district}:${type}`;
    let ids = this.order.get(key);
    if (!ids) this.order.set(key, (ids = []));
    // Ids ascend with creation, so this is an append except for hand-built edge cases.
    if (ids.length === 0 || ids[ids.length - 1] < id) ids.push(id);
    else ids.splice(lowerBound(ids, id), 0, id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  typeOf(id: string): MutableType | undefined {
    return this.entries.get(id)?.type;
  }

  districtOf(id: string): string | undefined {
    return this.entries.get(id)?.district;
  }

  status(id: string): Visibility | undefined {
    return this.entries.get(id)?.status;
  }

  setStatus(id: string, status: Visibility): void {
    const entry = this.entries.get(id);
    if (entry) entry.status = status;
  }

  /** The object regardless of sharing (for events and control operations). */
  peek<T extends MutableType>(type: T, id: string): TypeMap[T] | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.type !== type) return undefined;
    return (isLazy(entry.value) ? entry.value.expand() : entry.value) as TypeMap[T];
  }

  /** The object only if it is currently shared with the app. */
  get<T extends MutableType>(type: T, id: string): TypeMap[T] | undefined {
    const entry = this.entries.get(id);
    if (!entry || entry.status !== 'shared') return undefined;
    return this.peek(type, id);
  }

  /** Copy-on-write update: earlier event snapshots keep pointing at the old object. */
  replace<T extends MutableType>(type: T, value: TypeMap[T]): void {
    const entry = this.entries.get(value.id);
    if (!entry || entry.type !== type) throw new Error(`no ${type} ${value.id}`);
    entry.value = value;
  }

  isShared(id: string): boolean {
    return this.entries.get(id)?.status === 'shared';
  }

  /** Ascending ids of one type in one district, including hidden ones (filter with isShared). */
  ids(district: string, type: MutableType): readonly string[] {
    return this.order.get(`${district}:${type}`) ?? [];
  }

  /** Cheap role/school test without expanding lazy users. */
  userMatches(id: string, role?: Role, school?: string): boolean {
    const entry = this.entries.get(id);
    if (!entry || entry.type !== 'user') return false;
    if (isLazy(entry.value)) {
      return (!role || entry.value.role === role) && (!school || entry.value.schools.includes(school));
    }
    const user = entry.value as CleverUser;
    if (role && !user.roles[role]) return false;
    if (!school) return true;
    const r = user.roles;
    const lists = role
      ? [schoolsOfRole(user, role)]
      : [r.student?.schools, r.teacher?.schools, r.staff?.schools];
    return lists.some((s) => s?.includes(school));
  }

  clear(): void {
    this.entries.clear();
    this.order.clear();
  }
}

export function schoolsOfRole(user: CleverUser, role: Role): readonly string[] | undefined {
  if (role === 'student' || role === 'teacher' || role === 'staff') return user.roles[role]?.schools;
  return undefined;
}
