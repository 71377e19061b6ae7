import { hashHex, IdFactory } from '../store/ids';
import type { RecordTable } from '../store/records';
import type {
  CleverCourse,
  CleverDistrict,
  CleverSchool,
  CleverSection,
  CleverTerm,
  CleverUser,
  MutableType,
  TypeMap,
} from '../store/store-types';

type Fields<T> = Omit<T, 'id' | 'district' | 'created' | 'last_modified'>;

/** Deterministic pseudo-random numbers (mulberry32) so the same seed builds the same district. */
export function seededRandom(seed: string): () => number {
  let a = parseInt(hashHex(seed, 8), 16) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Creates records in Clever's creation order, so ids (and therefore list order) ascend. */
export class DatasetBuilder {
  // v2-era ids kept as roles.*.legacy_id; an older base keeps them visibly distinct from v3 ids.
  private readonly legacyIds: IdFactory;

  constructor(
    readonly seed: string,
    readonly ids: IdFactory,
    readonly table: RecordTable,
    readonly districts: Map<string, CleverDistrict>,
  ) {
    this.legacyIds = new IdFactory(`${seed}:legacy`, 1388534400);
  }

  legacyId(): string {
    return this.legacyIds.next();
  }

  district(fields: Omit<CleverDistrict, 'id'>): CleverDistrict {
    const district = { id: this.ids.next(), ...fields };
    this.districts.set(district.id, district);
    return district;
  }

  private stamped<T extends MutableType>(
    type: T,
    district: string,
    fields: object,
    withTimes: boolean,
  ): TypeMap[T] {
    const id = this.ids.next();
    const ts = this.ids.lastTimestamp();
    const times = withTimes ? { created: ts, last_modified: ts } : {};
    const record = { id, district, ...times, ...fields } as unknown as TypeMap[T];
    this.table.add(type, district, record);
    return record;
  }

  school(district: string, fields: Fields<CleverSchool>): CleverSchool {
    return this.stamped('school', district, fields, true);
  }

  term(district: string, fields: Omit<CleverTerm, 'id' | 'district'>): CleverTerm {
    return this.stamped('term', district, fields, false);
  }

  course(district: string, fields: Omit<CleverCourse, 'id' | 'district'>): CleverCourse {
    return this.stamped('course', district, fields, false);
  }

  /** `roles` gets the new id so students can carry legacy_id == id (NOTE: clever-api.md §1). */
  user(district: string, build: (id: string) => Fields<CleverUser>): CleverUser {
    const id = this.ids.next();
    const ts = this.ids.lastTimestamp();
    const user: CleverUser = { id, district, created: ts, last_modified: ts, ...build(id) };
    this.table.add('user', district, user);
    return user;
  }

  section(district: string, fields: Fields<CleverSection>): CleverSection {
    return this.stamped('section', district, fields, true);
  }
}

export const GRADES_BY_LEVEL: Record<string, string[]> = {
  elementary: ['Kindergarten', '1', '2', '3', '4', '5'],
  middle: ['6', '7', '8'],
  high: ['9', '10', '11', '12'],
};

export const FIRST_NAMES = [
  'Aiden',
  'Amara',
  'Benjamin',
  'Chloe',
  'Diego',
  'Elena',
  'Farah',
  'Gabriel',
  'Hana',
  'Isaac',
  'Jada',
  'Kai',
  'Leila',
  'Marcus',
  'Nia',
  'Owen',
  'Paloma',
  'Quinn',
  'Rafael',
  'Sofia',
  'Theo',
  'Uma',
  'Victor',
  'Willa',
  'Xavier',
  'Yara',
  'Zane',
  'Ana',
  'Bilal',
  'Camila',
];

export const LAST_NAMES = [
  'Anderson',
  'Baptiste',
  'Castillo',
  'Dubois',
  'Edwards',
  'Fischer',
  'Goldberg',
  'Hoang',
  'Ibrahim',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Morales',
  'Nakamura',
  'Osei',
  'Petrov',
  'Quintero',
  'Rossi',
  'Singh',
  'Tanaka',
  'Usman',
  'Vargas',
  'Whitfield',
  'Xu',
  'Yilmaz',
  'Zimmerman',
];
