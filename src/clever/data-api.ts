import { z } from 'zod';
import { CleverBadResponseError, CleverNotFoundError } from './clever-errors';
import type { CleverHttp, QueryParams } from './http';
import { paginate, type OnInvalidRecord } from './pagination';
import { requiredId, toIssues } from './schema-helpers';
import {
  CleverCourseSchema,
  CleverDistrictSchema,
  CleverEventSchema,
  CleverListEnvelopeSchema,
  CleverMeSchema,
  CleverSchoolSchema,
  CleverSectionSchema,
  CleverSingleEnvelopeSchema,
  CleverTermSchema,
  CleverUserSchema,
  recordSchemas,
  type CleverCourse,
  type CleverDistrict,
  type CleverEvent,
  type CleverMe,
  type CleverRoleName,
  type CleverSchool,
  type CleverSection,
  type CleverTerm,
  type CleverUser,
} from './clever-types';

export const DEFAULT_PAGE_SIZE = 1000;
/** NOTE: a larger `limit` is answered with 413 (clever-api.md §4.2). */
export const MAX_PAGE_SIZE = 10_000;

export interface CleverDataClientOptions {
  /** `limit` of the first request of every listing (later pages carry it in their `next` links). */
  pageSize?: number;
  onInvalid?: OnInvalidRecord;
}

export interface CleverEventsQuery {
  /** Last event id already processed; omitted for the whole 30-day feed. */
  startingAfter?: string;
  /** e.g. ['users', 'sections'] (`record_type`, repeatable). */
  recordTypes?: readonly string[];
  school?: string;
}

/** A list record whose type is not known statically (see `pages`). */
export type CleverListRecord = { id: string } & Record<string, unknown>;

const GenericRecordSchema = z.looseObject({ id: requiredId }) as z.ZodType<CleverListRecord>;

/**
 * Data API v3.0/v3.1 reads with one bearer token (district-app token for listings; an SSO token can only read
 * `/me`, its own user and its district, without paging — clever-api.md §2.8).
 */
export class CleverDataClient {
  private readonly pageSize: number;
  private readonly onInvalid?: OnInvalidRecord;

  constructor(
    private readonly http: CleverHttp,
    private readonly token: string,
    options: CleverDataClientOptions = {},
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > MAX_PAGE_SIZE) {
      throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    this.onInvalid = options.onInvalid;
  }

  /** NOTE: always the versioned `/v3.x/me`, so the id is a v3 id (clever-api.md §2.6). */
  async me(): Promise<CleverMe> {
    const response = await this.get('/me');
    return validate(CleverMeSchema, response.body, response.path);
  }

  getDistrict(id: string): Promise<CleverDistrict> {
    return this.getOne(`/districts/${encodeURIComponent(id)}`, CleverDistrictSchema);
  }

  /** null when Clever answers 404: the user is not (or no longer) shared with the app (clever-api.md §6). */
  async getUser(id: string): Promise<CleverUser | null> {
    try {
      return await this.getOne(`/users/${encodeURIComponent(id)}`, CleverUserSchema);
    } catch (error) {
      if (error instanceof CleverNotFoundError) return null;
      throw error;
    }
  }

  /** null when Clever answers 404: the school is not (or no longer) shared with the app. */
  async getSchool(id: string): Promise<CleverSchool | null> {
    try {
      return await this.getOne(`/schools/${encodeURIComponent(id)}`, CleverSchoolSchema);
    } catch (error) {
      if (error instanceof CleverNotFoundError) return null;
      throw error;
    }
  }

  getSection(id: string): Promise<CleverSection> {
    return this.getOne(`/sections/${encodeURIComponent(id)}`, CleverSectionSchema);
  }

  /** The token's own district (one item). No `limit`: this also works with SSO tokens. */
  async listDistricts(): Promise<CleverDistrict[]> {
    const districts: CleverDistrict[] = [];
    for await (const page of this.pages('/districts', { limit: null }, CleverDistrictSchema)) {
      districts.push(...page);
    }
    return districts;
  }

  schools(): AsyncGenerator<CleverSchool> {
    return this.records('/schools', {}, CleverSchoolSchema);
  }

  users(role?: CleverRoleName): AsyncGenerator<CleverUser> {
    return this.records('/users', { role }, CleverUserSchema);
  }

  sections(): AsyncGenerator<CleverSection> {
    return this.records('/sections', {}, CleverSectionSchema);
  }

  terms(): AsyncGenerator<CleverTerm> {
    return this.records('/terms', {}, CleverTermSchema);
  }

  courses(): AsyncGenerator<CleverCourse> {
    return this.records('/courses', {}, CleverCourseSchema);
  }

  userSections(userId: string): AsyncGenerator<CleverSection> {
    return this.records(`/users/${encodeURIComponent(userId)}/sections`, {}, CleverSectionSchema);
  }

  sectionUsers(sectionId: string, role?: 'student' | 'teacher'): AsyncGenerator<CleverUser> {
    return this.records(`/sections/${encodeURIComponent(sectionId)}/users`, { role }, CleverUserSchema);
  }

  /** NOTE: users with any enrollment at the school; `primary: true` keeps primary-school users only (§4). */
  schoolUsers(
    schoolId: string,
    options: { role?: 'staff' | 'student' | 'teacher'; primary?: boolean } = {},
  ): AsyncGenerator<CleverUser> {
    const query = { role: options.role, primary: options.primary ? 'true' : undefined };
    return this.records(`/schools/${encodeURIComponent(schoolId)}/users`, query, CleverUserSchema);
  }

  /** NOTE: `starting_after` must be a valid event id or omitted; oldest first, 30-day retention (§5). */
  events(query: CleverEventsQuery = {}): AsyncGenerator<CleverEvent> {
    const params = {
      starting_after: query.startingAfter,
      record_type: query.recordTypes,
      school: query.school,
    };
    return this.records('/events', params, CleverEventSchema);
  }

  /**
   * Whole pages of validated records, so a sync can write page by page. `path` is relative to the version
   * (`/users`) or already versioned; `limit` defaults to the client's pageSize (`limit: null` omits it).
   * Without a schema, records are validated by the path's resource (`/sections/{id}/users` -> CleverUser).
   */
  pages<T = CleverListRecord>(
    path: string,
    params: QueryParams = {},
    schema?: z.ZodType<T>,
  ): AsyncGenerator<T[]> {
    const query = { limit: this.pageSize, ...params };
    return paginate({
      http: this.http,
      host: 'api',
      token: this.token,
      path: this.http.apiPath(path),
      query,
      schema: schema ?? (schemaForPath(path) as z.ZodType<T>),
      onInvalid: this.onInvalid,
    });
  }

  /**
   * The newest event id, to save before a full sync and poll from afterwards; null when the feed is empty.
   * NOTE: `GET /events?ending_before=last&limit=1` (clever-api.md §5).
   */
  async latestEventId(): Promise<string | null> {
    const response = await this.get('/events', { ending_before: 'last', limit: 1 });
    const envelope = validate(CleverListEnvelopeSchema, response.body, response.path);
    const last = envelope.data[envelope.data.length - 1];
    if (!last) return null;
    return validate(CleverEventSchema, last.data, response.path).id;
  }

  private async *records<T>(path: string, params: QueryParams, schema: z.ZodType<T>): AsyncGenerator<T> {
    for await (const page of this.pages(path, params, schema)) yield* page;
  }

  private async getOne<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const response = await this.get(path);
    const envelope = validate(CleverSingleEnvelopeSchema, response.body, response.path);
    return validate(schema, envelope.data, response.path);
  }

  private get(path: string, query?: QueryParams) {
    return this.http.request({ path: this.http.apiPath(path), query, auth: { bearer: this.token } });
  }
}

function validate<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new CleverBadResponseError(`Clever's answer for ${path} failed validation`, {
    code: 'invalid_record',
    path,
    issues: toIssues(parsed.error),
  });
}

const SUB_RESOURCE_SCHEMAS: Record<string, z.ZodType> = {
  ...recordSchemas,
  mystudents: CleverUserSchema,
  myteachers: CleverUserSchema,
  mycontacts: CleverUserSchema,
};

function schemaForPath(path: string): z.ZodType {
  const pathname = path.split('?')[0] ?? '';
  const resource = pathname.split('/').filter(Boolean).pop()?.toLowerCase() ?? '';
  return SUB_RESOURCE_SCHEMAS[resource] ?? GenericRecordSchema;
}
