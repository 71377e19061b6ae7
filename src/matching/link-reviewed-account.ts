// An admin's answer to a match review: "this Clever user is that existing account". The Clever id moves from
// the account made at first sight to the chosen existing account, which keeps its own id and history; the
// made account's memberships, progress and groups follow, and it is archived (never deleted). One
// transaction, audited with the admin as actor; the made account's sessions end.
import { forgetDigests } from '../db/sync-digest';
import type { Database } from '../db/database';
import { AppError, notFound } from '../errors';
import { recordAudit } from '../db/audit';
import type { Sql } from '../db/sql';
import { endSessionsOf } from '../db/sessions';
import { inTransaction } from '../db/transaction';

export interface LinkReviewedAccountProps {
  reviewId: string;
  /** The existing account the admin chose (one of the review's candidates). */
  candidateId: string;
  actorId: string;
  /** The admin's district: reviews of other districts do not exist for them. */
  districtId: string;
}

const CLEVER_FIELDS = [
  'roles',
  'firstName',
  'middleName',
  'lastName',
  'email',
  'emailNormalized',
  'sisId',
  'studentNumber',
  'teacherNumber',
  'staffId',
  'stateId',
  'grade',
  'graduationYear',
  'title',
  'districtUsername',
  'primarySchoolId',
  'lastSeenAt',
]
  .map((c) => `"${c}" = m."${c}"`)
  .join(', ');

/** Moves the made account's rows to the chosen one; a row the chosen account already has stays archived. */
async function moveBelongings(sql: Sql, fromId: string, toId: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const [table, key] of [
    ['SchoolMembership', 'schoolId'],
    ['SectionMembership', 'sectionId'],
  ] as const) {
    const rows = await sql(
      `UPDATE "${table}" t SET "userId" = $2::uuid, "updatedAt" = now()
        WHERE t."userId" = $1::uuid
          AND NOT EXISTS (SELECT 1 FROM "${table}" x WHERE x."userId" = $2::uuid AND x."${key}" = t."${key}")
        RETURNING t.id`,
      [fromId, toId],
    );
    moved[table] = rows.length;
  }
  moved.Progress = (
    await sql(`UPDATE "Progress" SET "userId" = $2::uuid WHERE "userId" = $1::uuid RETURNING id`, [
      fromId,
      toId,
    ])
  ).length;
  moved.Group = (
    await sql(`UPDATE "Group" SET "ownerId" = $2::uuid WHERE "ownerId" = $1::uuid RETURNING id`, [
      fromId,
      toId,
    ])
  ).length;
  moved.GroupMember = (
    await sql(
      `UPDATE "GroupMember" g SET "userId" = $2::uuid WHERE g."userId" = $1::uuid
          AND NOT EXISTS (SELECT 1 FROM "GroupMember" x WHERE x."userId" = $2::uuid AND x."groupId" = g."groupId")
        RETURNING g."groupId"`,
      [fromId, toId],
    )
  ).length;
  return moved;
}

export async function linkReviewedAccount(db: Database, props: LinkReviewedAccountProps) {
  const result = await inTransaction(db, async ({ prisma: tx, sql }) => {
    const review = await tx.matchReview.findFirst({
      where: { id: props.reviewId, districtId: props.districtId },
    });
    if (!review) throw notFound('Review');
    if (review.status !== 'open') throw new AppError('conflict', 'This review was already resolved.');
    if (!review.candidateUserIds.includes(props.candidateId)) throw notFound('Account');
    const made = await tx.user.findFirst({ where: { id: review.userId, districtId: props.districtId } });
    const chosen = await tx.user.findFirst({
      where: { id: props.candidateId, OR: [{ districtId: props.districtId }, { districtId: null }] },
    });
    if (!made?.cleverId || !chosen) throw notFound('Account');
    if (chosen.cleverId || chosen.archivedAt) {
      throw new AppError('conflict', 'That account is already linked to Clever or archived.');
    }
    const reason = `linked by an admin to existing account ${chosen.id}`;
    await sql(
      `UPDATE "User" SET "cleverId" = NULL, "archivedAt" = now(), "archiveReason" = $2, "updatedAt" = now()
          WHERE id = $1::uuid`,
      [made.id, reason],
    );
    await sql(
      `UPDATE "User" u SET "cleverId" = $3, "districtId" = $4::uuid, "managedBy" = 'clever',
                "matchedBy" = 'email', "matchedAt" = now(), "updatedAt" = now(), ${CLEVER_FIELDS}
           FROM "User" m WHERE u.id = $1::uuid AND m.id = $2::uuid`,
      [chosen.id, made.id, made.cleverId, props.districtId],
    );
    const moved = await moveBelongings(sql, made.id, chosen.id);
    // The next full sync compares these records column by column rather than trusting their digests.
    const sections = await sql(
      `SELECT DISTINCT "sectionId"::text AS id FROM "SectionMembership" WHERE "userId" = ANY($1::uuid[])`,
      [[made.id, chosen.id]],
    );
    await forgetDigests(sql, [made.id, chosen.id, ...sections.map((r) => String(r.id))]);
    await tx.matchReview.update({
      where: { id: review.id },
      data: { status: 'linked', resolvedById: props.actorId, resolvedAt: new Date() },
    });
    await recordAudit(sql, { districtId: props.districtId, source: 'admin', actorId: props.actorId }, [
      {
        recordType: 'user',
        recordId: chosen.id,
        cleverId: made.cleverId,
        action: 'linked',
        reason: 'an admin linked this Clever user to the existing account',
        details: { reviewId: review.id, fromUserId: made.id, moved },
      },
      {
        recordType: 'user',
        recordId: made.id,
        cleverId: made.cleverId,
        action: 'archived',
        reason,
        details: { reviewId: review.id, toUserId: chosen.id },
      },
    ]);
    return { userId: chosen.id, archivedUserId: made.id, cleverId: made.cleverId, moved };
  });
  await endSessionsOf(db, [result.archivedUserId]);
  return result;
}
