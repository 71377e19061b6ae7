import type { Request, Response, Router } from 'express';
import type { SandboxStore } from '../store/store';
import type { ApiVersion, CleverSection, CleverUser, MutableType, Role } from '../store/store-types';
import type { Principal } from './principal';
import { listOf, type ListContext } from './lists';
import { objectLinks, present, singleEnvelope, ssoUserView } from './presenters';

// Read-only Data API routes. Every lookup is scoped to the token's district and to shared records:
// anything else is a JSON 404 (NOTE: clever-api.md §6, unshared and deleted records look alike).

const USER_ROLES: Role[] = ['contact', 'district_admin', 'staff', 'student', 'teacher'];

function param(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function registerDataRoutes(router: Router, store: SandboxStore, version: ApiVersion): void {
  const principal = (res: Response) => res.locals.principal as Principal;
  const notFound = (res: Response) => res.status(404).json({ message: 'Resource not found' });
  const badRequest = (res: Response, message: string) => res.status(400).json({ message });
  const ctx = (req: Request, res: Response): ListContext => ({ req, res, store, version });

  /** The shared record of the token's district, or undefined after answering 404. */
  function find<T extends MutableType>(res: Response, type: T, id: string) {
    const record = store.get(type, id);
    if (!record || record.district !== principal(res).district) {
      notFound(res);
      return undefined;
    }
    return record;
  }
  const sendOne = (res: Response, type: MutableType, id: string | undefined) => {
    const record = id ? find(res, type, id) : undefined;
    if (!id) notFound(res);
    if (record) res.json(singleEnvelope(type, record, version));
  };
  const sendDistrict = (res: Response, id: string) => {
    const district = store.getDistrict(id);
    if (!district || id !== principal(res).district) return notFound(res);
    res.json(singleEnvelope('district', district, version));
  };
  const roleParam = (req: Request, res: Response, allowed: Role[]): Role | undefined | false => {
    const role = param(req, 'role');
    if (role && !allowed.includes(role as Role)) {
      badRequest(res, `role must be one of ${allowed.join(', ')}`);
      return false;
    }
    return role as Role | undefined;
  };
  const sectionsWhere = (district: string, test: (s: CleverSection) => boolean) =>
    store.allIds(district, 'section').filter((id) => store.isShared(id) && test(store.peek('section', id)!));
  const sortedUnique = (ids: Iterable<string | undefined>) =>
    [...new Set([...ids].filter((x): x is string => Boolean(x)))].sort();

  router.get('/me', (req, res) => {
    const p = principal(res);
    const userId = p.kind === 'sso' ? p.grant.userId : p.district;
    const canonical =
      p.kind === 'sso' ? `/${version}/users/${userId}` : `/${version}/districts/${p.district}`;
    const type = p.kind === 'sso' ? 'user' : 'district';
    // NOTE: the documented v3 shape (clever-api.md §2.6); the district-token variant is inferred.
    res.json({
      type,
      data: { id: userId, district: p.district, type, authorized_by: 'district' },
      links: [
        { rel: 'self', uri: '/me' },
        { rel: 'canonical', uri: canonical },
        { rel: 'district', uri: `/${version}/districts/${p.district}` },
      ],
    });
  });

  router.get('/districts', (req, res) =>
    listOf(ctx(req, res), 'district', [principal(res).district], () => true),
  );
  router.get('/districts/:id', (req, res) => sendDistrict(res, req.params.id));

  for (const type of ['school', 'section', 'term', 'course'] as const) {
    router.get(`/${type}s`, (req, res) => {
      const district = principal(res).district;
      listOf(ctx(req, res), type, store.allIds(district, type), (id) => store.isShared(id));
    });
    router.get(`/${type}s/:id`, (req, res) => sendOne(res, type, req.params.id));
    router.get(`/${type}s/:id/district`, (req, res) => {
      if (find(res, type, req.params.id)) sendDistrict(res, principal(res).district);
    });
  }

  router.get('/users', (req, res) => {
    const role = roleParam(req, res, USER_ROLES);
    if (role === false) return;
    const ids = store.allIds(principal(res).district, 'user');
    listOf(ctx(req, res), 'user', ids, (id) => store.isShared(id) && store.userMatches(id, role));
  });
  router.get('/users/:id', (req, res) => {
    const user = find(res, 'user', req.params.id);
    if (!user) return;
    const view = principal(res).kind === 'sso' ? ssoUserView(user) : user;
    res.json({ data: present('user', view, version), links: objectLinks('user', user, version) });
  });
  router.get('/users/:id/district', (req, res) => {
    if (find(res, 'user', req.params.id)) sendDistrict(res, principal(res).district);
  });
  router.get('/users/:id/schools', (req, res) => {
    const user = find(res, 'user', req.params.id);
    if (!user) return;
    const r = user.roles;
    const ids =
      param(req, 'primary') === 'true'
        ? [r.student?.school, r.teacher?.school]
        : [...(r.student?.schools ?? []), ...(r.teacher?.schools ?? []), ...(r.staff?.schools ?? [])];
    listOf(ctx(req, res), 'school', sortedUnique(ids), (id) => store.isShared(id));
  });
  router.get('/users/:id/sections', (req, res) => {
    const user = find(res, 'user', req.params.id);
    if (!user) return;
    const ids = sectionsWhere(
      user.district,
      (s) => s.students.includes(user.id) || s.teachers.includes(user.id),
    );
    listOf(ctx(req, res), 'section', ids, () => true);
  });
  router.get('/users/:id/mystudents', (req, res) => {
    const user = find(res, 'user', req.params.id);
    if (!user) return;
    const taught = sectionsWhere(user.district, (s) => s.teachers.includes(user.id));
    const fromSections = taught.flatMap((id) => store.peek('section', id)!.students);
    const fromContact = user.roles.contact?.student_relationships.map((r) => r.student) ?? [];
    const ids = sortedUnique(user.roles.teacher ? [...fromSections, ...fromContact] : fromContact);
    listOf(ctx(req, res), 'user', ids, (id) => store.isShared(id));
  });
  router.get('/users/:id/myteachers', (req, res) => {
    const user = find(res, 'user', req.params.id);
    if (!user) return;
    const sections = user.roles.student
      ? sectionsWhere(user.district, (s) => s.students.includes(user.id))
      : [];
    const ids = sortedUnique(sections.flatMap((id) => store.peek('section', id)!.teachers));
    listOf(ctx(req, res), 'user', ids, (id) => store.isShared(id));
  });
  router.get('/users/:id/mycontacts', (req, res) => {
    const user = find(res, 'user', req.params.id);
    if (!user) return;
    const isContactOf = (id: string) =>
      Boolean(
        store.peek('user', id)!.roles.contact?.student_relationships.some((r) => r.student === user.id),
      );
    const ids = user.roles.student ? store.allIds(user.district, 'user') : [];
    listOf(
      ctx(req, res),
      'user',
      ids,
      (id) => store.isShared(id) && store.userMatches(id, 'contact') && isContactOf(id),
    );
  });

  router.get('/schools/:id/users', (req, res) => {
    const school = find(res, 'school', req.params.id);
    const role = school && roleParam(req, res, ['staff', 'student', 'teacher']);
    if (!school || role === false) return;
    const primaryOnly = param(req, 'primary') === 'true';
    const isPrimary = (id: string) => {
      const roles: CleverUser['roles'] = store.peek('user', id)!.roles;
      return (
        (!role || role === 'student' ? roles.student?.school === school.id : false) ||
        (!role || role === 'teacher' ? roles.teacher?.school === school.id : false)
      );
    };
    listOf(
      ctx(req, res),
      'user',
      store.allIds(school.district, 'user'),
      (id) => store.isShared(id) && store.userMatches(id, role, school.id) && (!primaryOnly || isPrimary(id)),
    );
  });
  router.get('/schools/:id/sections', (req, res) => {
    const school = find(res, 'school', req.params.id);
    if (school)
      listOf(
        ctx(req, res),
        'section',
        sectionsWhere(school.district, (s) => s.school === school.id),
        () => true,
      );
  });
  for (const [sub, key] of [
    ['courses', 'course'],
    ['terms', 'term_id'],
  ] as const) {
    router.get(`/schools/:id/${sub}`, (req, res) => {
      const school = find(res, 'school', req.params.id);
      if (!school) return;
      const sections = sectionsWhere(school.district, (s) => s.school === school.id);
      const ids = sortedUnique(sections.map((id) => store.peek('section', id)![key]));
      listOf(ctx(req, res), sub === 'courses' ? 'course' : 'term', ids, (id) => store.isShared(id));
    });
  }

  router.get('/sections/:id/users', (req, res) => {
    const section = find(res, 'section', req.params.id);
    const role = section && roleParam(req, res, ['student', 'teacher']);
    if (!section || role === false) return;
    const members =
      role === 'student'
        ? section.students
        : role === 'teacher'
          ? section.teachers
          : [...section.students, ...section.teachers];
    listOf(ctx(req, res), 'user', sortedUnique(members), (id) => store.isShared(id));
  });
  router.get('/sections/:id/school', (req, res) => {
    const section = find(res, 'section', req.params.id);
    if (section) sendOne(res, 'school', section.school);
  });
  router.get('/sections/:id/term', (req, res) => {
    const section = find(res, 'section', req.params.id);
    if (section) sendOne(res, 'term', section.term_id);
  });
  router.get('/sections/:id/course', (req, res) => {
    const section = find(res, 'section', req.params.id);
    if (section) sendOne(res, 'course', section.course);
  });

  for (const [type, key] of [
    ['term', 'term_id'],
    ['course', 'course'],
  ] as const) {
    router.get(`/${type}s/:id/sections`, (req, res) => {
      const record = find(res, type, req.params.id);
      if (record)
        listOf(
          ctx(req, res),
          'section',
          sectionsWhere(record.district, (s) => s[key] === record.id),
          () => true,
        );
    });
    router.get(`/${type}s/:id/schools`, (req, res) => {
      const record = find(res, type, req.params.id);
      if (!record) return;
      const sections = sectionsWhere(record.district, (s) => s[key] === record.id);
      const ids = sortedUnique(sections.map((id) => store.peek('section', id)!.school));
      listOf(ctx(req, res), 'school', ids, (id) => store.isShared(id));
    });
  }
}
