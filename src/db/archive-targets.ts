// Where each synced record type lives, how its Clever key is spelled in SQL, and which rows a sync may ever
// archive: always scoped to one district; never local accounts; never records without a Clever id.
import { ARCHIVE_REASONS, type SyncRecordType } from './record-types';

export interface ArchiveTarget {
  type: SyncRecordType;
  table: string;
  /** FROM clause; the archived table is aliased `t`. */
  from: string;
  /** The staged key of a row (see staging.ts). */
  key: string;
  label: string;
  /** Rows of district $2 this sync owns (may use the aliases of `from`). */
  scope: string;
  /** The same condition on `t` alone (for UPDATE ... FROM). */
  owned: string;
  reason: string;
  /**
   * Memberships: the record whose Clever record lists them all (a user their schools, a section its members).
   * Column `column` of `t` points at it (a row of `table`), seen as `type` (see plan-memberships.ts).
   */
  parent?: { table: string; column: 'userId' | 'sectionId'; type: SyncRecordType };
}

const name = (alias: string) => `nullif(concat_ws(' ', ${alias}."firstName", ${alias}."lastName"), '')`;
const GONE = ARCHIVE_REASONS.gone;

export const ARCHIVE_TARGETS: readonly ArchiveTarget[] = [
  {
    type: 'school',
    table: 'School',
    from: `"School" t`,
    key: `t."cleverId"`,
    label: `t.name`,
    scope: `t."districtId" = $2::uuid AND t."cleverId" IS NOT NULL`,
    owned: `t."districtId" = $2::uuid AND t."cleverId" IS NOT NULL`,
    reason: GONE,
  },
  ...(['term', 'course'] as const).map((type) => ({
    type,
    table: type === 'term' ? 'Term' : 'Course',
    from: `"${type === 'term' ? 'Term' : 'Course'}" t`,
    key: `t."cleverId"`,
    label: `t.name`,
    scope: `t."districtId" = $2::uuid`,
    owned: `t."districtId" = $2::uuid`,
    reason: GONE,
  })),
  {
    type: 'section',
    table: 'Section',
    from: `"Section" t`,
    key: `t."cleverId"`,
    label: `coalesce(t."localName", t.name)`,
    scope: `t."districtId" = $2::uuid`,
    owned: `t."districtId" = $2::uuid`,
    reason: GONE,
  },
  {
    type: 'user',
    table: 'User',
    from: `"User" t`,
    key: `t."cleverId"`,
    label: name('t'),
    scope: `t."districtId" = $2::uuid AND t."managedBy" = 'clever' AND t."cleverId" IS NOT NULL`,
    owned: `t."districtId" = $2::uuid AND t."managedBy" = 'clever' AND t."cleverId" IS NOT NULL`,
    reason: GONE,
  },
  {
    type: 'school_membership',
    table: 'SchoolMembership',
    from: `"SchoolMembership" t JOIN "User" u ON u.id = t."userId" JOIN "School" o ON o.id = t."schoolId"`,
    key: `u."cleverId" || '|' || o."cleverId"`,
    label: `concat_ws(' at ', ${name('u')}, o.name)`,
    scope: `o."districtId" = $2::uuid AND o."cleverId" IS NOT NULL AND u."managedBy" = 'clever' AND u."cleverId" IS NOT NULL`,
    owned: `EXISTS (SELECT 1 FROM "School" o JOIN "User" u ON u.id = t."userId" WHERE o.id = t."schoolId"
              AND o."districtId" = $2::uuid AND u."managedBy" = 'clever')`,
    reason: ARCHIVE_REASONS.school_membership,
    parent: { table: 'User', column: 'userId', type: 'user' },
  },
  {
    type: 'section_membership',
    table: 'SectionMembership',
    from: `"SectionMembership" t JOIN "User" u ON u.id = t."userId" JOIN "Section" o ON o.id = t."sectionId"`,
    key: `o."cleverId" || '|' || u."cleverId"`,
    label: `concat_ws(' in ', ${name('u')}, coalesce(o."localName", o.name))`,
    scope: `o."districtId" = $2::uuid AND u."managedBy" = 'clever' AND u."cleverId" IS NOT NULL`,
    owned: `EXISTS (SELECT 1 FROM "Section" o JOIN "User" u ON u.id = t."userId" WHERE o.id = t."sectionId"
              AND o."districtId" = $2::uuid AND u."managedBy" = 'clever')`,
    reason: ARCHIVE_REASONS.section_membership,
    parent: { table: 'Section', column: 'sectionId', type: 'section' },
  },
];
