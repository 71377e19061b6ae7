import { DatasetBuilder } from '../dataset/builder';
import type { Personas } from '../dataset/personas';
import { buildSandboxIsd } from '../dataset/sandbox-isd';
import { buildScaleDistrict, type ScaleOptions } from '../dataset/scale';
import { buildSecondDistrict } from '../dataset/second-district';
import { assertType, type MutationContext } from './store-context';
import { SandboxError } from './store-errors';
import { EventLog, type StoredEvent } from './event-log';
import { FaultRegistry, type Fault, type FaultSpec } from './faults';
import { GrantStore } from './grants';
import { hashHex, IdFactory } from './ids';
import { RecordTable } from './records';
import { endRollover, rollover, setDistrictState } from './rollover';
import * as roster from './roster-store';
import { deleteRecord, reshare, shrink, unshare } from './sharing';
import { StatsRecorder, type SandboxStats } from './stats';
import type { CleverDistrict, CleverEvent, CleverName, MutableType, Role, TypeMap } from './store-types';

export interface StoreOptions {
  seed?: string;
  scale?: ScaleOptions;
  /** Milliseconds since the epoch; injectable so tests can expire codes and tokens. */
  clock?: () => number;
}

export interface DistrictTokenRecord {
  id: string;
  created: string;
  owner: { type: 'district'; id: string };
  access_token: string;
  scopes: string[];
}

// NOTE: full Secure Sync scope list as in clever-go's token fixture (clever-api.md §2.8).
export const DISTRICT_SCOPES = [
  'read:district_admins',
  'read:districts',
  'read:resources',
  'read:school_admins',
  'read:schools',
  'read:sections',
  'read:student_contacts',
  'read:students',
  'read:teachers',
  'read:user_id',
];

/** The sandbox's whole state: datasets, sharing, events, OAuth grants, faults and request stats. */
export class SandboxStore {
  readonly seed: string;
  readonly now: () => number;
  readonly faults = new FaultRegistry();
  readonly grants: GrantStore;
  private readonly statsRecorder = new StatsRecorder();
  private readonly events: EventLog;
  private readonly table = new RecordTable();
  private readonly districtMap = new Map<string, CleverDistrict>();
  private ids!: IdFactory;
  private tokens: DistrictTokenRecord[] = [];
  private tokenToDistrict = new Map<string, string>();
  personas!: Personas;
  scaleDistrictId?: string;

  constructor(private readonly options: StoreOptions = {}) {
    this.seed = options.seed ?? 'sandbox';
    this.now = options.clock ?? Date.now;
    this.grants = new GrantStore(this.now);
    this.events = new EventLog(this.seed, this.now);
    this.build();
  }

  private build(): void {
    this.table.clear();
    this.districtMap.clear();
    this.ids = new IdFactory(this.seed);
    const b = new DatasetBuilder(this.seed, this.ids, this.table, this.districtMap);
    const isd = buildSandboxIsd(b);
    const second = buildSecondDistrict(b);
    this.personas = { ...isd, ...second };
    this.scaleDistrictId = this.options.scale ? buildScaleDistrict(b, this.options.scale) : undefined;
    const tokenIds = new IdFactory(`${this.seed}:tokens`, 1656021392);
    this.tokens = [...this.districtMap.keys()].map((district) => ({
      id: tokenIds.next(),
      created: tokenIds.lastTimestamp(),
      owner: { type: 'district' as const, id: district },
      access_token: hashHex(`${this.seed}:district-token:${district}`, 40),
      scopes: DISTRICT_SCOPES,
    }));
    this.tokenToDistrict = new Map(this.tokens.map((t) => [t.access_token, t.owner.id]));
  }

  private get ctx(): MutationContext {
    return {
      table: this.table,
      districts: this.districtMap,
      ids: this.ids,
      events: this.events,
      now: this.now,
    };
  }

  /** Back to the seed dataset: records, events, grants, faults and stats (event ids keep ascending). */
  reset(): void {
    this.build();
    this.events.clear();
    this.grants.clear();
    this.faults.clear();
    this.statsRecorder.reset();
  }

  // ---- lookups (shared records only, unless peek) ----
  districts(): CleverDistrict[] {
    return [...this.districtMap.values()];
  }
  getDistrict(id: string): CleverDistrict | undefined {
    return this.districtMap.get(id);
  }
  get<T extends MutableType>(type: T, id: string): TypeMap[T] | undefined {
    return this.table.get(type, id);
  }
  /** Any record that was ever created, shared or not (deleted ones included). */
  peek<T extends MutableType>(type: T, id: string): TypeMap[T] | undefined {
    return this.table.peek(type, id);
  }
  getUser(id: string) {
    return this.table.get('user', id);
  }
  getSchool(id: string) {
    return this.table.get('school', id);
  }
  getSection(id: string) {
    return this.table.get('section', id);
  }
  getTerm(id: string) {
    return this.table.get('term', id);
  }
  getCourse(id: string) {
    return this.table.get('course', id);
  }
  visibility(id: string) {
    return this.table.status(id);
  }
  typeOf(id: string): MutableType | undefined {
    return this.table.typeOf(id);
  }
  districtOf(id: string): string | undefined {
    return this.table.districtOf(id) ?? (this.districtMap.has(id) ? id : undefined);
  }
  /** Ascending ids of shared records (the order of every Clever list). */
  sharedIds(district: string, type: MutableType): readonly string[] {
    return this.table.ids(district, type).filter((id) => this.table.isShared(id));
  }
  /** All ids, hidden ones included; pair with isShared for cheap paging over large districts. */
  allIds(district: string, type: MutableType): readonly string[] {
    return this.table.ids(district, type);
  }
  isShared(id: string): boolean {
    return this.table.isShared(id);
  }
  userMatches(id: string, role?: Role, school?: string): boolean {
    return this.table.userMatches(id, role, school);
  }
  list<T extends MutableType>(district: string, type: T): TypeMap[T][] {
    return this.sharedIds(district, type).map((id) => this.table.peek(type, id)!);
  }
  listUsers(filter: { district: string; role?: Role; school?: string }) {
    return this.sharedIds(filter.district, 'user')
      .filter((id) => this.table.userMatches(id, filter.role, filter.school))
      .map((id) => this.table.peek('user', id)!);
  }
  listSchools(district: string) {
    return this.list(district, 'school');
  }
  listSections(district: string) {
    return this.list(district, 'section');
  }
  listTerms(district: string) {
    return this.list(district, 'term');
  }
  listCourses(district: string) {
    return this.list(district, 'course');
  }
  listEvents(district: string): StoredEvent[] {
    return this.events.list(district);
  }
  getEvent(id: string): StoredEvent | undefined {
    return this.events.get(id);
  }

  // ---- tokens ----
  districtToken(districtId: string): string {
    const token = this.tokens.find((t) => t.owner.id === districtId);
    if (!token) throw new SandboxError(404, `no district ${districtId}`);
    return token.access_token;
  }
  districtTokens(): DistrictTokenRecord[] {
    return this.tokens;
  }
  districtForToken(token: string): string | undefined {
    return this.tokenToDistrict.get(token);
  }
  /** Mints an SSO ("il…") token for a user without the browser dance (for tests). */
  ssoToken(userId: string, clientId = 'sandbox-client'): string {
    const district = this.table.districtOf(userId);
    if (!district) throw new SandboxError(404, `no user ${userId}`);
    return this.grants.issueToken(userId, district, clientId).token;
  }

  // ---- change simulation: each returns the events it wrote, in Clever's order ----
  unshare(type: MutableType, id: string): CleverEvent[] {
    return unshare(this.ctx, assertType(type), id);
  }
  reshare(type: MutableType, id: string): CleverEvent[] {
    return reshare(this.ctx, assertType(type), id);
  }
  delete(type: MutableType, id: string): CleverEvent[] {
    return deleteRecord(this.ctx, assertType(type), id);
  }
  moveStudent(studentId: string, move: roster.MoveStudent): CleverEvent[] {
    return roster.moveStudent(this.ctx, studentId, move);
  }
  addCoTeacher(sectionId: string, teacherId: string): CleverEvent[] {
    return roster.addCoTeacher(this.ctx, sectionId, teacherId);
  }
  removeCoTeacher(sectionId: string, teacherId: string): CleverEvent[] {
    return roster.removeCoTeacher(this.ctx, sectionId, teacherId);
  }
  rename(type: MutableType, id: string, name: string | CleverName): CleverEvent[] {
    return roster.rename(this.ctx, assertType(type), id, name);
  }
  setEmail(userId: string, email: string | null): CleverEvent[] {
    return roster.setEmail(this.ctx, userId, email);
  }
  createUser(input: roster.NewUser) {
    return roster.createUser(this.ctx, input);
  }
  createSection(input: roster.NewSection) {
    return roster.createSection(this.ctx, input);
  }
  addRole(userId: string, role: Role, school?: string): CleverEvent[] {
    return roster.addRole(this.ctx, userId, role, school);
  }
  removeRole(userId: string, role: Role): CleverEvent[] {
    return roster.removeRole(this.ctx, userId, role);
  }
  /** Fault injection: an event exactly as given, e.g. one without an object (see EventLog.writeRaw). */
  injectEvent(districtId: string, raw: { type: unknown; object: unknown }): CleverEvent {
    mustDistrictId(this.districtMap, districtId);
    return this.events.writeRaw(districtId, raw);
  }
  rollover(districtId: string): CleverEvent[] {
    return rollover(this.ctx, districtId);
  }
  endRollover(districtId: string): CleverEvent[] {
    return endRollover(this.ctx, districtId);
  }
  shrink(districtId: string, fraction: number): CleverEvent[] {
    return shrink(this.ctx, districtId, fraction);
  }
  setDistrictState(districtId: string, state: string): CleverEvent[] {
    return setDistrictState(this.ctx, districtId, state);
  }

  // ---- faults and stats ----
  addFault(spec: FaultSpec): Fault {
    return this.faults.add(spec);
  }
  clearFaults(): void {
    this.faults.clear();
  }
  stats(): SandboxStats {
    return this.statsRecorder.snapshot();
  }
  resetStats(): void {
    this.statsRecorder.reset();
  }
  recordRequest(path: string, token: string | undefined): void {
    this.statsRecorder.record(path, token);
  }
}

export function createSandboxStore(opts: StoreOptions = {}): SandboxStore {
  return new SandboxStore(opts);
}

function mustDistrictId(districts: Map<string, CleverDistrict>, id: string): void {
  if (!districts.has(id)) throw new SandboxError(404, `no district ${id}`);
}
