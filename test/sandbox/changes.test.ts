import { setup, type Sandbox } from './helpers';

// Each change simulation shows up in the Data API and emits Events API events in Clever's batch order.

type Ev = {
  id: string;
  type: string;
  data: { object: { id: string } & Record<string, unknown>; previous_attributes?: Record<string, unknown> };
};

async function newEvents(s: Sandbox, after?: string): Promise<Ev[]> {
  const path = after ? `/v3.0/events?limit=10000&starting_after=${after}` : '/v3.0/events?limit=10000';
  return (await s.get(path).expect(200)).body.data.map((i: { data: Ev }) => i.data);
}

describe('change simulation and events', () => {
  let s: Sandbox;
  beforeEach(() => {
    s = setup();
  });

  it('starts with no events; ending_before=last&limit=1 gives the newest event afterwards', async () => {
    expect(await newEvents(s)).toEqual([]);
    s.store.rename('school', s.p.charterSchool, 'Lighthouse Charter');
    s.store.rename('course', s.store.listCourses(s.p.districtId)[0].id, 'Homeroom');
    const last = await s.get('/v3.0/events?ending_before=last&limit=1').expect(200);
    expect(last.body.data).toHaveLength(1);
    expect(last.body.data[0].data.type).toBe('courses.updated');
  });

  it('unshare → users.deleted with the last full object and a 404; reshare → users.created', async () => {
    s.store.unshare('user', s.p.student);
    await s.get(`/v3.0/users/${s.p.student}`).expect(404);
    s.store.reshare('user', s.p.student);
    await s.get(`/v3.0/users/${s.p.student}`).expect(200);
    const events = await newEvents(s);
    expect(events.map((e) => e.type)).toEqual(['users.deleted', 'users.created']);
    expect(events[0].data.object).toMatchObject({ id: s.p.student, name: { first: 'Steve' } });
  });

  it('unsharing a school removes its sections and single-school users, deletes in Clever order', async () => {
    const school = s.p.nearDuplicateSchools[1];
    const events = s.store.unshare('school', school);
    const types = events.map((e) => e.type);
    expect(types[types.length - 1]).toBe('schools.deleted');
    expect(types.indexOf('sections.deleted')).toBeLessThan(types.indexOf('users.deleted'));
    await s.get(`/v3.0/schools/${school}`).expect(404);
    const studentsLeft = await s.get(`/v3.0/schools/${school}/users`).expect(404);
    expect(studentsLeft.body.message).toBeDefined();
    expect(s.store.getUser(s.p.staff)).toBeDefined(); // staff still has another school
    s.store.reshare('school', school);
    await s.get(`/v3.0/schools/${school}`).expect(200);
  });

  it('delete of a user takes it out of its sections first (sections.updated before users.deleted)', async () => {
    const events = s.store.delete('user', s.p.coTeacher);
    const types = events.map((e) => e.type);
    expect(types[types.length - 1]).toBe('users.deleted');
    expect(types.filter((t) => t === 'sections.updated').length).toBeGreaterThanOrEqual(2);
    const section = (await s.get(`/v3.0/sections/${s.p.coTaughtSection}`).expect(200)).body.data;
    expect(section.teachers).toEqual([s.p.teacher]);
    // The id can come back (re-added to the SIS): the same user is created again, but not in old sections.
    expect(s.store.reshare('user', s.p.coTeacher).map((e) => e.type)).toEqual(['users.created']);
    await s.get(`/v3.0/users/${s.p.coTeacher}`).expect(200);
    const after = (await s.get(`/v3.0/sections/${s.p.coTaughtSection}`).expect(200)).body.data;
    expect(after.teachers).toEqual([s.p.teacher]);
  });

  it('moving a student between sections and schools: users.updated, then sections.updated', async () => {
    const from = s.store.listSections(s.p.districtId).find((x) => x.students.includes(s.p.student))!;
    const to = s.store.listSections(s.p.districtId).find((x) => x.school === s.p.charterSchool)!;
    const events = s.store.moveStudent(s.p.student, {
      toSchool: s.p.charterSchool,
      fromSection: from.id,
      toSection: to.id,
    });
    expect(events.map((e) => e.type)).toEqual(['users.updated', 'sections.updated', 'sections.updated']);
    const userEvent = events[0];
    expect(userEvent.data.previous_attributes).toEqual({
      roles: { student: { school: from.school, schools: [from.school] } },
    });
    const u = (await s.get(`/v3.0/users/${s.p.student}`).expect(200)).body.data;
    expect(u.roles.student.school).toBe(s.p.charterSchool);
    const moved = (await s.get(`/v3.0/sections/${to.id}`).expect(200)).body.data;
    expect(moved.students).toContain(s.p.student);
    expect(events[1].data.previous_attributes).toHaveProperty('students');
  });

  it('co-teachers: add and remove emit sections.updated with previous teachers; 11th teacher refused', async () => {
    const [added] = s.store
      .addCoTeacher(s.p.coTaughtSection, s.p.teacherNoSections)
      .filter((e) => e.type === 'sections.updated');
    expect(added.data.previous_attributes).toEqual({ teachers: [s.p.teacher, s.p.coTeacher] });
    const removed = s.store.removeCoTeacher(s.p.coTaughtSection, s.p.coTeacher);
    expect(removed.map((e) => e.type)).toEqual(['sections.updated']);
    expect(() => s.store.addCoTeacher(s.p.sectionWithTenTeachers, s.p.teacherNoSections)).toThrow(
      /at most 10/,
    );
  });

  it('rename and setEmail emit updated events with nested previous_attributes; null removes the email', async () => {
    const [renamed] = s.store.rename('user', s.p.studentApostrophe, "Zoey O'Connor-Smith");
    expect(renamed.data.previous_attributes).toEqual({ name: { first: 'Zoë', last: "O'Connor" } });
    const [removed] = s.store.setEmail(s.p.student, null);
    expect(removed.data.previous_attributes).toEqual({ email: 'z.steve@sandbox-isd.example.org' });
    const u = (await s.get(`/v3.0/users/${s.p.student}`).expect(200)).body.data;
    expect('email' in u).toBe(false);
  });

  it('rollover: district paused with pause dates, new terms and sections (new ids), old ones gone, in order', async () => {
    const oldSections = s.store.listSections(s.p.districtId).map((x) => x.id);
    const events = s.store.rollover(s.p.districtId);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('districts.updated');
    const firstDelete = types.findIndex((t) => t.endsWith('.deleted'));
    expect(types.slice(1, firstDelete).every((t) => t.endsWith('.created'))).toBe(true);
    expect(types.lastIndexOf('sections.deleted')).toBeLessThan(types.indexOf('terms.deleted'));
    const district = (await s.get(`/v3.0/districts/${s.p.districtId}`).expect(200)).body.data;
    expect(district).toMatchObject({
      state: 'paused',
      pause_start: expect.any(String),
      pause_end: expect.any(String),
    });
    await s.get(`/v3.0/sections/${oldSections[0]}`).expect(404);
    const newSections = s.store.listSections(s.p.districtId);
    expect(newSections).toHaveLength(oldSections.length);
    expect(
      newSections.every((x) => !oldSections.includes(x.id) && x.id > oldSections[oldSections.length - 1]),
    ).toBe(true);
    s.store.endRollover(s.p.districtId);
    const after = (await s.get(`/v3.0/districts/${s.p.districtId}`).expect(200)).body.data;
    expect(after.state).toBe('running');
    expect('pause_start' in after).toBe(false);
  });

  it('shrink unshares the given fraction of students', async () => {
    const before = s.store.listUsers({ district: s.p.districtId, role: 'student' }).length;
    const events = s.store.shrink(s.p.districtId, 0.25);
    expect(events.length).toBe(Math.floor(before * 0.25));
    expect(events.every((e) => e.type === 'users.deleted')).toBe(true);
    expect(s.store.listUsers({ district: s.p.districtId, role: 'student' }).length).toBe(
      before - events.length,
    );
  });

  it('createUser / createSection emit *.created and are readable', async () => {
    const { user } = s.store.createUser({
      district: s.p.districtId,
      role: 'student',
      name: { first: 'New', last: 'Kid' },
      school: s.p.charterSchool,
    });
    const { section, events } = s.store.createSection({
      school: s.p.charterSchool,
      name: 'New class',
      teacher: s.p.teacher,
      students: [user.id],
    });
    expect(events.map((e) => e.type)).toEqual(['sections.created']);
    expect(
      (await s.get(`/v3.0/sections/${section.id}/users?role=student`).expect(200)).body.data[0].data.id,
    ).toBe(user.id);
  });

  it('events filter by record_type (repeatable) and school, and other districts never see them', async () => {
    s.store.rename('section', s.p.coTaughtSection, 'A');
    s.store.rename('user', s.p.student, 'Steve Z');
    s.store.rename('term', s.p.duplicateTermIds[0], 'Y1 (2024)');
    const sections = await s.get('/v3.0/events?record_type=sections').expect(200);
    expect(sections.body.data.map((e: { data: Ev }) => e.data.type)).toEqual(['sections.updated']);
    const both = await s.get('/v3.0/events?record_type=sections&record_type=terms').expect(200);
    expect(both.body.data).toHaveLength(2);
    const maple = s.store.getSection(s.p.coTaughtSection)!.school;
    const bySchool = await s.get(`/v3.0/events?school=${maple}`).expect(200);
    expect(bySchool.body.data.map((e: { data: Ev }) => e.data.type).sort()).toEqual([
      'sections.updated',
      'users.updated',
    ]);
    const other = await s.get('/v3.0/events', s.store.districtToken(s.p.secondDistrictId)).expect(200);
    expect(other.body.data).toEqual([]);
    const id = sections.body.data[0].data.id;
    await s.get(`/v3.0/events/${id}`, s.store.districtToken(s.p.secondDistrictId)).expect(404);
  });

  it('polling with starting_after returns only newer events and drops events older than 30 days', async () => {
    s.store.rename('section', s.p.coTaughtSection, 'A');
    const [first] = await newEvents(s);
    s.store.rename('section', s.p.coTaughtSection, 'B');
    expect((await newEvents(s, first.id)).map((e) => e.data.object.name)).toEqual(['B']);
    expect(await newEvents(s, (await newEvents(s, first.id))[0].id)).toEqual([]);
    s.clock.now += 31 * 24 * 3600_000;
    expect(await newEvents(s)).toEqual([]);
  });

  it('answers 404 to a starting_after cursor it does not hold: unknown, or dropped after 30 days', async () => {
    s.store.rename('section', s.p.coTaughtSection, 'A');
    const [first] = await newEvents(s);
    await s.get('/v3.0/events?starting_after=000000000000000000000000').expect(404);
    s.clock.now += 31 * 24 * 3600_000;
    s.store.rename('section', s.p.coTaughtSection, 'B');
    await s.get(`/v3.0/events?starting_after=${first.id}`).expect(404);
  });

  it('a user gains and loses a role: users.updated with the old roles in previous_attributes', async () => {
    const school = s.store.listSchools(s.p.districtId)[0].id;
    s.store.addRole(s.p.teacher, 'staff', school);
    const user = (await s.get(`/v3.0/users/${s.p.teacher}`).expect(200)).body.data;
    expect(Object.keys(user.roles).sort()).toEqual(['staff', 'teacher']);
    const staff = await s.get(`/v3.0/users?role=staff&limit=10000`).expect(200);
    expect(staff.body.data.map((u: { data: { id: string } }) => u.data.id)).toContain(s.p.teacher);
    s.store.removeRole(s.p.teacher, 'teacher');
    const events = await newEvents(s);
    expect(events.map((e) => e.type)).toEqual(['users.updated', 'users.updated']);
    expect(events[0].data.previous_attributes).toEqual({ roles: { staff: null } });
    expect(Object.keys((events[1].data.object as unknown as { roles: object }).roles)).toEqual(['staff']);
    expect(() => s.store.removeRole(s.p.teacher, 'staff')).toThrow(/only role/);
  });

  it('reset() returns to the seed dataset', async () => {
    s.store.unshare('user', s.p.student);
    s.store.reset();
    await s.get(`/v3.0/users/${s.p.student}`).expect(200);
    expect(await newEvents(s)).toEqual([]);
  });
});
