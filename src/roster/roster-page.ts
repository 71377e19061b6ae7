// Everything /admin/roster shows at once: the summary (district, schools, terms, counts) and one page of the
// chosen list, people or sections, for the filters given.
import type { PrismaClient } from '../generated/prisma/client';
import type { AdminScope } from '../access/admin-scope';
import { getRosterSummary } from './roster-summary';
import { searchPeople, type PeopleFilters } from './search-people';
import { searchSections } from './search-sections';

export async function getRosterPage(
  prisma: PrismaClient,
  scope: AdminScope,
  props: PeopleFilters & { view: 'people' | 'sections' },
) {
  const { view, ...filters } = props;
  const [summary, list] = await Promise.all([
    getRosterSummary(prisma, scope),
    view === 'sections'
      ? searchSections(prisma, scope, filters).then((page) => ({ kind: 'sections' as const, page }))
      : searchPeople(prisma, scope, filters).then((page) => ({ kind: 'people' as const, page })),
  ]);
  return { summary, list };
}
