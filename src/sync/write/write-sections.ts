// A page of sections and their memberships: the primary teacher (teachers[0]), co-teachers, students.
// A listed member Clever does not share with the app (it 404s and is missing from /users) is skipped and
// treated as unshared: no membership is written for it, so the sweep archives any it had.
// NOTE: section rosters may list unshared ids (https://dev.clever.com/docs/sections).
import type { CleverSection } from '../../clever/clever-clients';
import { mapSection, type SectionRow } from '../../records/map-clever';
import { SECTION_TABLE } from '../../db/tables';
import type { UpsertResult } from '../../db/upsert-rows';
import { saveDigests, SECTION_DIGEST, splitUnchanged } from '../../db/sync-digest';
import { addCount } from '../plan/counts';
import { writeMemberships } from '../archive/plan-memberships';
import { pairKey } from './staging';
import { idsByCleverId, stage, writeRows, type WriteContext } from './write-context';

export interface WrittenSections {
  sectionIds: Map<string, string>;
  /** `<section>|<user>` Clever id pairs of the members written (an events sync only). */
  pairs: string[];
}

export async function writeSections(w: WriteContext, sections: CleverSection[]): Promise<WrittenSections> {
  const all = sections.map(mapSection);
  const members = await sharedMembers(w, [
    ...new Set(all.flatMap((s) => [...s.teacherCleverIds, ...s.studentCleverIds])),
  ]);
  const listed = new Map(all.map((s) => [s.cleverId, listedMembers(s, members.seen)]));
  // The events sync archives the memberships a section no longer lists by these keys; a full sync plans them.
  const pairs =
    w.mode === 'events'
      ? all.flatMap((s) => listed.get(s.cleverId)!.map(([id]) => pairKey(s.cleverId, id)))
      : [];
  const split = await skipUnchangedSections(w, all, listed);
  const rows = split.changed;
  // Local ids of the members of the sections to write (a full sync leaves the others alone).
  const userIds =
    members.ids ??
    (await idsByCleverId(
      w,
      'User',
      rows.flatMap((s) => listed.get(s.cleverId)!.map(([id]) => id)),
    ));
  const schoolIds = await idsByCleverId(
    w,
    'School',
    rows.map((s) => s.schoolCleverId),
  );
  const termIds = await idsByCleverId(
    w,
    'Term',
    rows.map((s) => s.termCleverId),
  );
  const courseIds = await idsByCleverId(
    w,
    'Course',
    rows.map((s) => s.courseCleverId),
  );
  const results = await writeRows(
    w,
    'section',
    SECTION_TABLE,
    rows.map((s) => ({
      ...s,
      districtId: w.districtId,
      schoolId: schoolIds.get(s.schoolCleverId) ?? null,
      termId: s.termCleverId ? (termIds.get(s.termCleverId) ?? null) : null,
      courseId: s.courseCleverId ? (courseIds.get(s.courseCleverId) ?? null) : null,
    })),
  );
  await stage(
    w,
    'section',
    all.map((s) => s.cleverId),
  );
  const sectionIds = new Map(results.filter((r) => r.id).map((r) => [r.key, r.id]));
  await writeMembers(w, rows, { ids: sectionIds, results }, listed, userIds);
  if (w.mode === 'full') await saveDigests(w.sql, SECTION_DIGEST, w.districtId, split.digests);
  return { sectionIds: new Map([...sectionIds, ...split.unchanged]), pairs };
}

type Listed = Array<[cleverId: string, role: string]>;

/** The members a section lists that Clever shares: the primary teacher, co-teachers, then students. */
function listedMembers(section: SectionRow, seen: Set<string>): Listed {
  const listed: Listed = section.teacherCleverIds.map((id, i) => [id, i === 0 ? 'teacher' : 'co_teacher']);
  for (const id of section.studentCleverIds)
    if (!section.teacherCleverIds.includes(id)) listed.push([id, 'student']);
  return listed.filter(([id]) => seen.has(id));
}

/**
 * A full sync (or its dry run) leaves sections in step with their digest alone (src/db/sync-digest.ts). The
 * digest names members by Clever id: a Clever id keeps its local row (an admin linking a reviewed account to
 * another row forgets the digests of its sections), and the count of active memberships catches the rest.
 */
async function skipUnchangedSections(w: WriteContext, rows: SectionRow[], listed: Map<string, Listed>) {
  if (w.mode === 'events') {
    return { changed: rows, digests: [], unchanged: new Map<string, string>() };
  }
  const split = await splitUnchanged(
    w.sql,
    SECTION_DIGEST,
    w.districtId,
    rows,
    (s) => {
      const members = listed.get(s.cleverId)!;
      return { parts: [Object.values(s), members], memberships: new Set(members.map(([id]) => id)).size };
    },
    w.digests?.Section ?? true,
  );
  addCount(w.counts, 'section', 'unchanged', split.unchanged.size);
  addCount(w.counts, 'section_membership', 'unchanged', split.unchangedMemberships);
  return split;
}

async function writeMembers(
  w: WriteContext,
  rows: SectionRow[],
  sections: { ids: Map<string, string>; results: UpsertResult[] },
  listed: Map<string, Listed>,
  userIds: Map<string, string>,
) {
  const sectionIds = sections.ids;
  const memberships: Array<Record<string, unknown>> = [];
  for (const section of rows) {
    const sectionId = sectionIds.get(section.cleverId);
    for (const [cleverId, role] of listed.get(section.cleverId)!) {
      const userId = userIds.get(cleverId);
      if (sectionId && userId) memberships.push({ sectionId, userId, role });
      else addCount(w.counts, 'section_membership', 'created'); // dry run: section or user not there yet
    }
  }
  await writeMemberships(w, 'section_membership', memberships, sections.results);
}

/**
 * Members Clever shares: seen in this run's /users listing (full sync; their local ids are looked up for the
 * sections to write only), or active here (events, with their local ids).
 */
async function sharedMembers(
  w: WriteContext,
  cleverIds: string[],
): Promise<{ seen: Set<string>; ids: Map<string, string> | null }> {
  if (w.mode === 'events') {
    const rows = await w.sql(
      `SELECT id::text AS id, "cleverId" FROM "User"
        WHERE "districtId" = $1::uuid AND "cleverId" = ANY($2::text[]) AND "archivedAt" IS NULL`,
      [w.districtId, cleverIds],
    );
    const ids = new Map(rows.map((r) => [String(r.cleverId), String(r.id)]));
    return { seen: new Set(ids.keys()), ids };
  }
  return { seen: w.seen?.among('user', cleverIds) ?? new Set<string>(), ids: null };
}
