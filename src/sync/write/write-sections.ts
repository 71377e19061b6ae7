// A page of sections and their memberships: the primary teacher (teachers[0]), co-teachers, students.
// A listed member Clever does not share with the app (it 404s and is missing from /users) is skipped and
// treated as unshared: no membership is written for it, so the sweep archives any it had.
// NOTE: section rosters may list unshared ids (https://dev.clever.com/docs/sections).
import type { CleverSection } from '../../clever/clever-clients';
import { mapSection, type SectionRow } from '../../records/map-clever';
import { SECTION_TABLE } from '../../db/tables';
import { addCount } from '../plan/counts';
import { writeMemberships } from '../archive/plan-memberships';
import { pairKey, seenAmong } from './staging';
import { idsByCleverId, stage, writeRows, type WriteContext } from './write-context';

export interface WrittenSections {
  sectionIds: Map<string, string>;
  /** `<section>|<user>` Clever id pairs of the members written. */
  pairs: string[];
}

export async function writeSections(w: WriteContext, sections: CleverSection[]): Promise<WrittenSections> {
  const rows = sections.map(mapSection);
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
    rows.map((s) => s.cleverId),
  );
  const sectionIds = new Map(results.filter((r) => r.id).map((r) => [r.key, r.id]));
  const pairs = await writeMembers(w, rows, sectionIds);
  return { sectionIds, pairs };
}

async function writeMembers(w: WriteContext, rows: SectionRow[], sectionIds: Map<string, string>) {
  const memberIds = [...new Set(rows.flatMap((s) => [...s.teacherCleverIds, ...s.studentCleverIds]))];
  const members = await sharedMembers(w, memberIds);
  const memberships: Array<Record<string, unknown>> = [];
  const pairs: string[] = [];
  for (const section of rows) {
    const sectionId = sectionIds.get(section.cleverId);
    const add = (cleverId: string, role: string) => {
      if (!members.seen.has(cleverId)) return;
      pairs.push(pairKey(section.cleverId, cleverId));
      const userId = members.ids.get(cleverId);
      if (sectionId && userId) memberships.push({ sectionId, userId, role });
      else addCount(w.counts, 'section_membership', 'created'); // dry run: section or user not there yet
    };
    section.teacherCleverIds.forEach((id, i) => add(id, i === 0 ? 'teacher' : 'co_teacher'));
    for (const id of section.studentCleverIds) if (!section.teacherCleverIds.includes(id)) add(id, 'student');
  }
  await writeMemberships(w, 'section_membership', memberships, [...sectionIds.values()]);
  return pairs;
}

/** Members Clever shares: seen in this run's /users listing (full sync), or active here (events). */
async function sharedMembers(w: WriteContext, cleverIds: string[]) {
  if (w.mode === 'events') {
    const rows = await w.sql(
      `SELECT id::text AS id, "cleverId" FROM "User"
        WHERE "districtId" = $1::uuid AND "cleverId" = ANY($2::text[]) AND "archivedAt" IS NULL`,
      [w.districtId, cleverIds],
    );
    const ids = new Map(rows.map((r) => [String(r.cleverId), String(r.id)]));
    return { seen: new Set(ids.keys()), ids };
  }
  const seen = await seenAmong(w.sql, w.runId, 'user', cleverIds);
  return { seen, ids: await idsByCleverId(w, 'User', [...seen]) };
}
