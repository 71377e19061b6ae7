// Pages of schools, terms and courses: mapped as login provisioning maps them, written with upsertRows.
import type { CleverCourse, CleverSchool, CleverTerm } from '../../clever/clever-clients';
import { mapCourse, mapSchool, mapTerm } from '../../records/map-clever';
import { COURSE_TABLE, SCHOOL_TABLE, TERM_TABLE } from '../../db/tables';
import { adoptLocalSchools } from '../../records/adopt-schools';
import { sourceOf, stage, writeRows, type WriteContext } from './write-context';

export async function writeSchools(w: WriteContext, schools: CleverSchool[]): Promise<void> {
  const rows = schools.map(mapSchool);
  if (w.mode !== 'dry_run') {
    await adoptLocalSchools(w.sql, { districtId: w.districtId, runId: w.runId, source: sourceOf(w) }, rows);
  }
  await writeRows(
    w,
    'school',
    SCHOOL_TABLE,
    rows.map((s) => ({ ...s, districtId: w.districtId })),
  );
  await stage(
    w,
    'school',
    rows.map((s) => s.cleverId),
  );
}

export async function writeTerms(w: WriteContext, terms: CleverTerm[]): Promise<void> {
  const rows = terms.map(mapTerm);
  await writeRows(
    w,
    'term',
    TERM_TABLE,
    rows.map((t) => ({ ...t, districtId: w.districtId })),
  );
  await stage(
    w,
    'term',
    rows.map((t) => t.cleverId),
  );
}

export async function writeCourses(w: WriteContext, courses: CleverCourse[]): Promise<void> {
  const rows = courses.map(mapCourse);
  await writeRows(
    w,
    'course',
    COURSE_TABLE,
    rows.map((c) => ({ ...c, districtId: w.districtId })),
  );
  await stage(
    w,
    'course',
    rows.map((c) => c.cleverId),
  );
}
