// The district roster for district admins (their district) and staff (their schools): the roster with search,
// filters and keyset pages, a person's page and a section's page. Other tenants' ids are 404. Searches are
// posted and kept in the session (src/web/roster-searches.ts): no URL names a student.
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../db/database';
import { AppError, notFound } from '../../errors';
import type { Role } from '../../generated/prisma/client';
import { CLEVER_ID, findPersonByCleverId } from '../../roster/find-by-clever-id';
import { getPersonDetail } from '../../roster/person-detail';
import { getRosterPage } from '../../roster/roster-page';
import { searchPeople } from '../../roster/search-people';
import { searchSections } from '../../roster/search-sections';
import { getSectionDetail } from '../../roster/section-detail';
import { requireAdminScope, scopeOf } from '../middleware/require-admin-scope';
import { requireUser } from '../middleware/require-user';
import { noStore } from '../middleware/security';
import { presentCleverIdAnswer, presentPerson } from '../presenters/person';
import { queryString } from '../presenters/format';
import { presentRoster } from '../presenters/roster-view';
import {
  PEOPLE_CSV_HEADER,
  SECTIONS_CSV_HEADER,
  peopleCsvRows,
  sectionsCsvRows,
} from '../presenters/roster-csv';
import { cursorOf, findSearch, rememberCursor, saveSearch, saveSession } from '../roster-searches';
import { presentSection } from '../presenters/section';

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const listView = z.enum(['people', 'sections']).catch('people');

/** The filters of the search form (POST) and of the schools' links (GET: ids only, never a name). */
export const rosterFilters = z.object({
  q: optional(z.string().trim().max(100)),
  school: optional(z.uuid()),
  term: optional(z.uuid()),
  role: optional(z.enum(['student', 'teacher', 'staff', 'district_admin', 'contact'])),
  archived: z
    .string()
    .optional()
    .catch(undefined)
    .transform((v) => v === 'true' || v === 'on'),
});
const rosterQuery = z.object({
  view: listView,
  search: optional(z.string().regex(/^[\w-]{1,16}$/)),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
});
/** Filters a GET may still name (links to a school's sections): ids and flags, which name nobody. */
const LINK_FILTERS = ['school', 'term', 'role', 'archived'];
const idParams = z.object({ id: z.uuid() });

export function adminRosterRouter(db: Database): Router {
  const router = Router();
  router.use(
    ['/admin/roster', '/admin/people', '/admin/sections'],
    noStore,
    requireUser,
    requireAdminScope(db),
  );

  // The search form posts its filters: they are kept in the session, and the page's URL names only their id.
  router.post('/admin/roster', async (req, res) => {
    const filters = rosterFilters.parse(req.body ?? {});
    const view = listView.parse(req.body?.view);
    const id = saveSearch(req, filters);
    await saveSession(req);
    res.redirect(303, `/admin/roster${queryString({ view: view === 'sections' ? view : null, search: id })}`);
  });

  router.get('/admin/roster', async (req, res) => {
    const query = rosterQuery.parse(req.query);
    if (LINK_FILTERS.some((key) => key in req.query)) {
      const id = saveSearch(req, { ...rosterFilters.parse(req.query), q: undefined });
      await saveSession(req);
      const view = query.view === 'sections' ? 'sections' : null;
      return res.redirect(303, `/admin/roster${queryString({ view, search: id })}`);
    }
    const scope = scopeOf(req);
    const saved = findSearch(req, query.search);
    const filters = saved?.filters ?? { archived: false };
    const page = saved ? query.page : 1;
    const cursor = saved ? cursorOf(saved, query.view, page) : null;
    if (cursor === undefined) {
      throw new AppError(
        'bad_request',
        'This page link is not valid any more. Start again from the first page.',
      );
    }
    const { summary, list } = await getRosterPage(db.prisma, scope, {
      view: query.view,
      q: filters.q,
      schoolId: filters.school,
      termId: filters.term,
      role: query.view === 'people' ? (filters.role as Role | undefined) : undefined,
      includeArchived: filters.archived,
      cursor: cursor ?? undefined,
    });
    const q = filters.q?.trim();
    const byCleverId = q && CLEVER_ID.test(q) ? await findPersonByCleverId(db.prisma, scope, q) : undefined;
    let searchId = saved ? query.search! : null;
    if (list.page.next) {
      // Even the unfiltered list pages through a saved search: its cursors name people too.
      searchId ??= saveSearch(req, filters);
      rememberCursor(findSearch(req, searchId)!, query.view, page + 1, list.page.next);
    }
    const model = presentRoster(summary, { view: query.view, ...filters }, list, scope, {
      searchId,
      page,
      nextPage: list.page.next ? page + 1 : null,
      isExpired: Boolean(query.search) && !saved,
    });
    const cleverIdAnswer = byCleverId === undefined ? null : presentCleverIdAnswer(q!, byCleverId);
    res.render('admin/roster', { title: 'Roster', model: { ...model, cleverIdAnswer } });
  });

  // What the roster page shows, every page of it, with the same filters (the saved search's id, no names).
  router.get('/admin/roster/export.csv', async (req, res) => {
    const query = rosterQuery.parse(req.query);
    const scope = scopeOf(req);
    const filters = findSearch(req, query.search)?.filters ?? { archived: false };
    const base = {
      q: filters.q,
      schoolId: filters.school,
      termId: filters.term,
      includeArchived: filters.archived,
      limit: 200,
      countTotal: false,
    };
    const day = new Date().toISOString().slice(0, 10);
    res.type('text/csv; charset=utf-8');
    res.attachment(`roster-${query.view}-${day}.csv`);
    res.write(query.view === 'sections' ? SECTIONS_CSV_HEADER : PEOPLE_CSV_HEADER);
    let cursor: string | undefined;
    do {
      if (query.view === 'sections') {
        const page = await searchSections(db.prisma, scope, { ...base, cursor });
        res.write(sectionsCsvRows(page));
        cursor = page.next ?? undefined;
      } else {
        const role = filters.role as Role | undefined;
        const page = await searchPeople(db.prisma, scope, { ...base, role, cursor });
        res.write(peopleCsvRows(page));
        cursor = page.next ?? undefined;
      }
    } while (cursor);
    res.end();
  });

  router.get('/admin/people/:id', async (req, res) => {
    const params = idParams.safeParse(req.params);
    if (!params.success) throw notFound('Person');
    const detail = await getPersonDetail(db.prisma, scopeOf(req), params.data.id);
    const model = presentPerson(detail);
    res.render('admin/person', { title: model.name, model });
  });

  router.get('/admin/sections/:id', async (req, res) => {
    const params = idParams.safeParse(req.params);
    if (!params.success) throw notFound('Section');
    const model = presentSection(await getSectionDetail(db.prisma, scopeOf(req), params.data.id));
    res.render('admin/section', { title: model.name, model });
  });
  return router;
}
