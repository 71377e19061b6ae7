import { PERSONAS, type CleverUser } from '../../src/sandbox/sandbox-api';
import { setup } from './helpers';

// The seed dataset carries the edge cases a certifiable app must survive (clever-api.md §7.3).

describe('Sandbox ISD edge cases', () => {
  const s = setup();
  const user = async (id: string): Promise<CleverUser> =>
    (await s.get(`/v3.1/users/${id}`).expect(200)).body.data;
  const p = PERSONAS;

  it('PERSONAS (default seed) match the running store, and ids are 24-hex and deterministic', () => {
    expect(s.p).toEqual(PERSONAS);
    for (const value of Object.values(PERSONAS).flat()) expect(value).toMatch(/^[0-9a-f]{24}$/);
    expect(setup({ seed: 'another' }).p.student).not.toBe(PERSONAS.student);
  });

  it('has a multi-school student whose primary school is not schools[0]', async () => {
    const u = await user(p.studentTwoSchools);
    expect(u.roles.student!.schools).toHaveLength(2);
    expect(u.roles.student!.school).not.toBe(u.roles.student!.schools[0]);
    const sections = (await s.get(`/v3.0/users/${p.studentTwoSchools}/sections`).expect(200)).body.data;
    expect(new Set(sections.map((x: { data: { school: string } }) => x.data.school)).size).toBe(2);
  });

  it('has a student and a teacher with no sections', async () => {
    for (const id of [p.studentNoSections, p.teacherNoSections]) {
      expect((await s.get(`/v3.0/users/${id}/sections`).expect(200)).body.data).toEqual([]);
    }
  });

  it('distinguishes a missing email, an empty email and an email without "@"', async () => {
    expect('email' in (await user(p.studentNoEmail))).toBe(false);
    expect((await user(p.studentEmptyEmail)).email).toBe('');
    expect((await user(p.teacherEmailNoAt)).email).not.toContain('@');
  });

  it('has a sparse-profile student with only the guaranteed fields', async () => {
    const u = await user(p.studentSparse);
    expect(Object.keys(u).sort()).toEqual(['created', 'district', 'id', 'last_modified', 'name', 'roles']);
    expect(Object.keys(u.roles.student!).sort()).toEqual([
      'enrollments',
      'legacy_id',
      'school',
      'schools',
      'sis_id',
    ]);
  });

  it('has apostrophe, accented and CJK names, and short and 30-digit sis_ids', async () => {
    expect((await user(p.studentApostrophe)).name).toEqual({ first: 'Zoë', last: "O'Connor" });
    expect((await user(p.studentNonAscii)).name.last).toBe('Núñez');
    expect((await user(p.studentCjk)).name.last).toBe('王');
    expect((await user(p.studentLongSisId)).roles.student!.sis_id).toMatch(/^\d{30}$/);
    expect((await user(p.teacherShortSisId)).roles.teacher!.sis_id).toBe('4');
  });

  it('has a section with 1 primary + 9 co-teachers and a co-taught section', async () => {
    const big = (await s.get(`/v3.0/sections/${p.sectionWithTenTeachers}`).expect(200)).body.data;
    expect(big.teachers).toHaveLength(10);
    expect(big.teacher).toBe(big.teachers[0]);
    const co = (await s.get(`/v3.0/sections/${p.coTaughtSection}`).expect(200)).body.data;
    expect(co.teachers).toEqual([p.teacher, p.coTeacher]);
    const teacherSections = (await s.get(`/v3.0/users/${p.teacher}/sections`).expect(200)).body.data;
    expect(teacherSections.length).toBeGreaterThanOrEqual(3);
  });

  it('merges teacher + staff + district_admin into one user but keeps a teacher-parent as two ids', async () => {
    expect(Object.keys((await user(p.multiRoleTeacherStaffAdmin)).roles).sort()).toEqual([
      'district_admin',
      'staff',
      'teacher',
    ]);
    const asTeacher = await user(p.teacherAlsoContactTeacherId);
    const asContact = await user(p.teacherAlsoContactContactId);
    expect(asTeacher.id).not.toBe(asContact.id);
    expect(asTeacher.email).toBe(asContact.email);
    expect(Object.keys(asContact.roles)).toEqual(['contact']);
  });

  it('has staff with several schools and no primary, contacts with relationships, one with only name.last', async () => {
    const staff = (await user(p.staff)).roles.staff!;
    expect(staff.schools.length).toBeGreaterThan(1);
    expect('school' in staff).toBe(false);
    const contact = (await user(p.contact)).roles.contact!;
    expect(contact.student_relationships).toContainEqual({
      student: p.student,
      relationship: 'Parent',
      type: 'Parent/Guardian',
    });
    expect((await user(p.contactNameOnlyLast)).name).toEqual({ last: 'Sanjiv Becker' });
    const contacts = (await s.get(`/v3.0/users/${p.student}/mycontacts`).expect(200)).body.data;
    expect(contacts.map((c: { data: { id: string } }) => c.data.id)).toEqual([p.contact]);
  });

  it('has near-duplicate schools, a charter school via ext, and two terms named "Y1"', async () => {
    const [a, b] = await Promise.all(
      p.nearDuplicateSchools.map(async (id) => (await s.get(`/v3.0/schools/${id}`)).body.data),
    );
    expect(b.name.startsWith(a.name)).toBe(true);
    expect(b.location).toEqual(a.location);
    expect((await s.get(`/v3.0/schools/${p.charterSchool}`)).body.data.ext).toEqual({ charter_school: 'Y' });
    const terms = await Promise.all(
      p.duplicateTermIds.map(async (id) => (await s.get(`/v3.0/terms/${id}`)).body.data.name),
    );
    expect(terms).toEqual(['Y1', 'Y1']);
  });

  it('keeps the second district small and separate', () => {
    expect(s.store.listSections(p.secondDistrictId)).toHaveLength(2);
    expect(s.store.listUsers({ district: p.secondDistrictId, role: 'teacher' }).map((u) => u.id)).toEqual([
      p.secondDistrictTeacher,
    ]);
    expect(s.store.getUser(p.secondDistrictStudent)!.district).toBe(p.secondDistrictId);
  });

  it('has about 60 students, 10+ teachers and 25 sections', () => {
    const students = s.store.listUsers({ district: p.districtId, role: 'student' }).length;
    expect(students).toBeGreaterThanOrEqual(55);
    expect(s.store.listUsers({ district: p.districtId, role: 'teacher' }).length).toBeGreaterThanOrEqual(10);
    expect(s.store.listSections(p.districtId).length).toBeGreaterThanOrEqual(24);
    expect(s.store.listSchools(p.districtId)).toHaveLength(5);
  });
});
