import { expectValid } from './spec-validator';
import { setup } from './helpers';

// Every main Data API answer, in both versions, matches Clever's published definitions (strictly:
// no unknown keys, so v3.1-only fields in v3.0 answers fail).

for (const version of ['v3.0', 'v3.1'] as const) {
  const spec = `${version}.yml`;
  const events = `${version}-events.yml`;

  describe(`Data API ${version} answers in Clever's shapes`, () => {
    const s = setup({ scale: { students: 300 } });
    const v = `/${version}`;
    const ok = async (path: string, definition: string) => {
      const res = await s.get(`${v}${path}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectValid(spec, definition, res.body);
      return res.body;
    };

    it('lists and fetches the district', async () => {
      await ok('/districts', 'DistrictsResponse');
      await ok(`/districts/${s.p.districtId}`, 'DistrictResponse');
    });

    it('validates every school, section, term and course and their sub-resources', async () => {
      for (const [plural, one, many] of [
        ['schools', 'SchoolResponse', 'SchoolsResponse'],
        ['sections', 'SectionResponse', 'SectionsResponse'],
        ['terms', 'TermResponse', 'TermsResponse'],
        ['courses', 'CourseResponse', 'CoursesResponse'],
      ]) {
        const list = await ok(`/${plural}?limit=10000`, many);
        expect(list.data.length).toBeGreaterThan(0);
        for (const item of list.data) {
          expect(item.uri).toBe(`${v}/${plural}/${item.data.id}`);
          await ok(`/${plural}/${item.data.id}`, one);
          await ok(`/${plural}/${item.data.id}/district`, 'DistrictResponse');
        }
      }
      const school = s.p.nearDuplicateSchools[0];
      await ok(`/schools/${school}/users?role=student`, 'UsersResponse');
      await ok(`/schools/${school}/users?role=teacher&primary=true`, 'UsersResponse');
      await ok(`/schools/${school}/sections`, 'SectionsResponse');
      await ok(`/schools/${school}/courses`, 'CoursesResponse');
      await ok(`/schools/${school}/terms`, 'TermsResponse');
      const section = s.p.sectionWithTenTeachers;
      await ok(`/sections/${section}/users?role=teacher`, 'UsersResponse');
      await ok(`/sections/${section}/school`, 'SchoolResponse');
      await ok(`/sections/${section}/term`, 'TermResponse');
      await ok(`/sections/${s.p.coTaughtSection}/course`, 'CourseResponse');
      await ok(`/terms/${s.p.duplicateTermIds[1]}/sections`, 'SectionsResponse');
      await ok(`/terms/${s.p.duplicateTermIds[1]}/schools`, 'SchoolsResponse');
    });

    it('validates every user (all roles, every edge case) and their sub-resources', async () => {
      const list = await ok('/users?limit=10000', 'UsersResponse');
      expect(list.data.length).toBeGreaterThan(70);
      for (const item of list.data) await ok(`/users/${item.data.id}`, 'UserResponse');
      for (const sub of ['sections', 'schools', 'mystudents', 'myteachers', 'mycontacts']) {
        await ok(
          `/users/${s.p.student}/${sub}`,
          /schools/.test(sub)
            ? 'SchoolsResponse'
            : /sections/.test(sub)
              ? 'SectionsResponse'
              : 'UsersResponse',
        );
      }
      await ok(`/users/${s.p.teacher}/mystudents`, 'UsersResponse');
      await ok(`/users/${s.p.contact}/mystudents`, 'UsersResponse');
      await ok(`/users/${s.p.staff}/schools`, 'SchoolsResponse');
      await ok(`/users/${s.p.student}/district`, 'DistrictResponse');
    });

    it('validates generated Scale USD users as well', async () => {
      const scaleToken = s.store.districtToken(s.store.scaleDistrictId!);
      const res = await s.get(`${v}/users?limit=500`, scaleToken).expect(200);
      expect(res.body.data.length).toBeGreaterThan(300);
      expectValid(spec, 'UsersResponse', res.body);
    });

    it('validates events of every kind against the Events API definitions', async () => {
      s.store.rename('section', s.p.coTaughtSection, 'Renamed section');
      s.store.setEmail(s.p.student, 'new.address@sandbox-isd.example.org');
      s.store.unshare('user', s.p.studentNoEmail);
      s.store.reshare('user', s.p.studentNoEmail);
      s.store.rollover(s.p.districtId);
      const res = await s.get(`${v}/events?limit=10000`).expect(200);
      expectValid(events, 'EventsResponse', res.body);
      const types = new Set<string>();
      for (const item of res.body.data) {
        expectValid(events, item.data.type, item.data);
        types.add(item.data.type);
      }
      expect([...types]).toEqual(
        expect.arrayContaining([
          'users.updated',
          'users.deleted',
          'users.created',
          'sections.created',
          'sections.deleted',
          'terms.created',
          'districts.updated',
        ]),
      );
      const one = await s.get(`${v}/events/${res.body.data[0].data.id}`).expect(200);
      expectValid(events, 'EventResponse', one.body);
    });
  });
}

describe('v3.0 and v3.1 differ only by v3.1 fields', () => {
  const s = setup();

  it('shows v3.1 demographics and LMS fields only under /v3.1', async () => {
    const v30 = (await s.get(`/v3.0/users/${s.p.student}`).expect(200)).body.data;
    const v31 = (await s.get(`/v3.1/users/${s.p.student}`).expect(200)).body.data;
    expect(v31.roles.student).toMatchObject({
      gifted_status: 'N',
      home_language_code: 'eng',
      preferred_name: { first: 'Stevie' },
    });
    expect(v31.lms_status).toEqual({ synced_in_lms: false });
    expect(v30.roles.student.gifted_status).toBeUndefined();
    expect(v30.roles.student.preferred_name).toBeUndefined();
    expect(v30.lms_status).toBeUndefined();
    expect(v30.id).toBe(v31.id);
    const d30 = (await s.get(`/v3.0/districts/${s.p.districtId}`).expect(200)).body.data;
    const d31 = (await s.get(`/v3.1/districts/${s.p.districtId}`).expect(200)).body.data;
    expect('lms_state' in d30).toBe(false);
    expect(d31.lms_state).toBe('');
  });

  it('the strict validator really rejects a v3.1 field in a v3.0 answer', () => {
    const user = { data: { id: 'x', roles: { student: { gifted_status: 'Y' } } } };
    expect(() => expectValid('v3.0.yml', 'UserResponse', user)).toThrow(/additional/);
    expect(() => expectValid('v3.1.yml', 'UserResponse', user)).not.toThrow();
  });
});
