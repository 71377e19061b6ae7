import type { z } from 'zod';
import {
  CleverCourseSchema,
  CleverDistrictSchema,
  CleverEventSchema,
  CleverMeSchema,
  CleverSchoolSchema,
  CleverSectionSchema,
  CleverTermSchema,
  CleverUserSchema,
  emptyToNull,
  toIssues,
  type CleverValidationIssue,
} from '../../src/clever/clever-clients';
import * as fx from './fixtures/appendix-a';

type Parsed<T> = { ok: true; value: T } | { ok: false; issues: CleverValidationIssue[] };

/** Validates as the Data API client does: the record's schema, and issues that name paths only. */
function parse<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: toIssues(result.error) };
}
const parseUser = (raw: unknown) => parse(CleverUserSchema, raw);
const parseSection = (raw: unknown) => parse(CleverSectionSchema, raw);
const parseSchool = (raw: unknown) => parse(CleverSchoolSchema, raw);
const parseDistrict = (raw: unknown) => parse(CleverDistrictSchema, raw);
const parseTerm = (raw: unknown) => parse(CleverTermSchema, raw);
const parseCourse = (raw: unknown) => parse(CleverCourseSchema, raw);
const parseEvent = (raw: unknown) => parse(CleverEventSchema, raw);

function expectOk<T>(result: Parsed<T>): T {
  if (!result.ok) throw new Error(`expected a valid record, got ${JSON.stringify(result.issues)}`);
  return result.value;
}

describe('Clever schemas: Appendix A payloads', () => {
  it('parses the Certification ISD student and keeps the primary school, ext and passthrough keys', () => {
    const user = expectOk(parseUser(fx.studentUserResponse.data));
    expect(user.id).toBe('58da8c63d7dc0ca0680003ed');
    expect(user.roles.student?.school).toBe('58da8c58155b940248000007');
    expect(user.roles.student?.graduation_year).toBeNull();
    expect(user.roles.student?.location?.address).toBeNull();
    expect(user.roles.student?.location?.zip).toBe('10459');
    expect(user.roles.student?.ext).toEqual({ gifted_status: '' });
    expect(user.roles.student?.enrollments).toEqual([]);
    expect(user.name?.middle).toBe('G');
  });

  it('parses multi-role users (teacher + staff, teacher + district admin with empty schools)', () => {
    const staff = expectOk(parseUser(fx.teacherStaffUser));
    expect(Object.keys(staff.roles).sort()).toEqual(['staff', 'teacher']);
    expect(staff.roles.staff?.roles).toEqual(['PortalOnly']);
    const admin = expectOk(parseUser(fx.teacherDistrictAdminUser));
    expect(admin.roles.teacher?.schools).toEqual([]);
    expect(admin.roles.district_admin?.legacy_id).toBe('67290af290b55408fa4b09e5');
    expect(admin.name).toBeUndefined();
  });

  it('parses a contact with only name.last and empty phone/sis_id', () => {
    const contact = expectOk(parseUser(fx.contactUser));
    expect(contact.name).toEqual({ last: 'Sanjiv Becker' });
    expect(contact.roles.contact?.phone).toBeNull();
    expect(contact.roles.contact?.sis_id).toBeNull();
    expect(contact.roles.contact?.student_relationships?.[0]?.student).toBe('58da8c63d7dc0ca0680003ed');
  });

  it('parses section, term, course, district, school, event and /me', () => {
    const section = expectOk(parseSection(fx.section));
    expect(section.section_number).toBeNull();
    expect(section.period).toBe('0');
    expect(section.teachers).toEqual(['5faac8b7bc447500a10ae87e']);
    expect(expectOk(parseTerm(fx.term)).name).toBe('Y1');
    expect(expectOk(parseCourse(fx.course)).number).toBe('1');
    const district = expectOk(parseDistrict(fx.district));
    expect(district.error).toBeNull();
    expect(district.district_contact?.title).toBeNull();
    expect('mdr_number' in district).toBe(false);
    expect(expectOk(parseSchool(fx.school)).principal?.name).toBe('Cecilia Roderick');

    const event = expectOk(parseEvent(fx.usersUpdatedEvent));
    expect(event.data.previous_attributes).toEqual({
      roles: { student: { ext: { gifted_status: '' }, gender: 'X' } },
    });
    expect(expectOk(parseUser(event.data.object)).id).toBe('58da8c63d7dc0ca0680003ed');

    const me = CleverMeSchema.parse(fx.meResponse);
    expect(me.data).toMatchObject({ id: '58da8c63d7dc0ca0680003ed', authorized_by: 'district' });
  });
});

describe('Clever schemas: tolerance', () => {
  it('accepts records missing every non-guaranteed field', () => {
    expect(parseUser({ id: 'u1', district: 'd1', roles: {} }).ok).toBe(true);
    expect(parseSection({ id: 's1', school: 'sc1' }).ok).toBe(true);
    expect(parseSchool({ id: 'sc1' }).ok).toBe(true);
    expect(parseDistrict({ id: 'd1' }).ok).toBe(true);
    expect(parseTerm({ id: 't1' }).ok).toBe(true);
    expect(parseCourse({ id: 'c1' }).ok).toBe(true);
    expect(parseUser({ id: 'u1', district: 'd1', roles: { student: {}, teacher: {} } }).ok).toBe(true);
  });

  it('turns "" into null for optional strings and keeps unknown keys', () => {
    const user = expectOk(
      parseUser({
        id: 'u1',
        district: 'd1',
        email: '',
        name: { first: '', last: "O'Hara", middle: null },
        roles: { teacher: { sis_id: '', title: '', school: '' }, future_role: { x: 1 } },
        brand_new_field: 'kept',
      }),
    );
    expect(user.email).toBeNull();
    expect(user.name).toEqual({ first: null, last: "O'Hara", middle: null });
    expect(user.roles.teacher).toEqual({ sis_id: null, title: null, school: null });
    expect((user.roles as Record<string, unknown>).future_role).toEqual({ x: 1 });
    expect((user as Record<string, unknown>).brand_new_field).toBe('kept');
  });

  it('accepts null and odd types in non-guaranteed fields without failing the record', () => {
    const section = expectOk(
      parseSection({
        id: 's1',
        school: 'sc1',
        teacher: null,
        teachers: ['t1', '', 7, 't2'],
        students: null,
        grade: 5,
        ext: 'not an object',
      }),
    );
    expect(section.teacher).toBeNull();
    expect(section.teachers).toEqual(['t1', 't2']);
    expect(section.students).toBeNull();
    expect(section.grade).toBe('5');
    expect(section.ext).toBeNull();
  });

  it('drops values of the wrong type to null and leaves absent fields absent', () => {
    const user = expectOk(
      parseUser({
        id: 'u1',
        district: 'd1',
        email: true,
        name: { first: Number.NaN, middle: Infinity, last: { text: 'Lee' } },
        roles: {
          student: {
            grade: 0,
            sis_id: -1.5,
            schools: 'sc1',
            location: [],
            credentials: 'x',
            enrollments: [1],
          },
          teacher: 'not an object',
        },
        lms_status: { synced_in_lms: 'yes' },
      }),
    );
    expect(user.email).toBeNull();
    expect(user.name).toEqual({ first: null, middle: null, last: null });
    expect(user.roles.student).toEqual({
      grade: '0',
      sis_id: '-1.5',
      schools: null,
      location: null,
      credentials: null,
      enrollments: null,
    });
    expect(user.roles.teacher).toBeNull();
    expect(user.lms_status).toEqual({ synced_in_lms: null });
    // Keys Clever did not send are not invented (an `in` check downstream would otherwise see them).
    expect(Object.keys(user.roles)).toEqual(['student', 'teacher']);
    expect('created' in user).toBe(false);
    expect('dob' in user.roles.student!).toBe(false);
  });

  it('rejects a user without id, or with an invalid guaranteed field', () => {
    const noId = parseUser({ district: 'd1', roles: {} });
    expect(noId.ok).toBe(false);
    expect(!noId.ok && noId.issues.map((issue) => issue.path)).toEqual(['id']);
    expect(parseUser({ id: '', district: 'd1', roles: {} }).ok).toBe(false);
    expect(parseUser({ id: 'u1', roles: {} }).ok).toBe(false);
    expect(parseUser({ id: 'u1', district: 'd1' }).ok).toBe(false);
    expect(CleverUserSchema.safeParse({ id: 42, district: 'd1', roles: {} }).success).toBe(false);
    expect(CleverSectionSchema.safeParse({ id: 's1' }).success).toBe(false);
  });

  it('validation issues never quote the values', () => {
    const result = parseUser({ id: { secret: 'CANARY_STUDENT_NAME_7c1' }, district: 'd1', roles: {} });
    expect(JSON.stringify(result)).not.toContain('CANARY_STUDENT_NAME_7c1');
  });

  it('accepts previous_attributes beside data (spec shape) as well as inside it (real shape)', () => {
    const specShape = {
      id: 'e1',
      type: 'sections.updated',
      created: '2023-01-01T00:00:00.000Z',
      data: { object: fx.section },
      previous_attributes: { name: 'Old name' },
    };
    expect(expectOk(parseEvent(specShape)).data.previous_attributes).toEqual({ name: 'Old name' });
    expect(parseEvent({ id: 'e2', type: 'users.created', data: {} }).ok).toBe(false);
  });

  it('normalises "" with emptyToNull', () => {
    expect(emptyToNull('')).toBeNull();
    expect(emptyToNull('x')).toBe('x');
    expect(emptyToNull(undefined)).toBeUndefined();
  });
});
