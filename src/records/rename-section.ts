// A teacher of a section (primary or co-teacher) or an admin of its district gives the section a name of their
// own. The name is kept beside Clever's (`Section.localName`): the sync never writes it (SECTION_TABLE in
// src/db/tables.ts), so it survives every sync; null goes back to Clever's name.
import type { PrismaClient } from '../generated/prisma/client';
import { AppError, notFound } from '../errors';
import { inTransaction } from '../db/transaction';

export interface RenameActor {
  id: string;
  roles: readonly string[];
  districtId: string | null;
}

export async function renameSection(
  prisma: PrismaClient,
  props: { sectionCleverId: string; name: string | null; actor: RenameActor },
): Promise<{ name: string | null; cleverName: string | null }> {
  const section = await prisma.section.findFirst({
    where: { cleverId: props.sectionCleverId, archivedAt: null },
    include: {
      memberships: {
        where: { userId: props.actor.id, archivedAt: null, role: { in: ['teacher', 'co_teacher'] } },
      },
    },
  });
  // A section outside the actor's district answers exactly as an unknown one.
  if (!section || section.districtId !== props.actor.districtId) throw notFound('Section');
  const teachesIt = section.memberships.length > 0;
  if (!teachesIt && !props.actor.roles.includes('district_admin')) {
    throw new AppError('forbidden', 'Only a teacher of this class or a district admin can rename it.');
  }
  await inTransaction({ prisma }, async ({ prisma: tx }) => {
    await tx.section.update({ where: { id: section.id }, data: { localName: props.name } });
    await tx.auditEvent.create({
      data: {
        districtId: section.districtId,
        source: 'admin',
        recordType: 'section',
        recordId: section.id,
        cleverId: section.cleverId,
        action: 'updated',
        reason: props.name === null ? 'name given in the app removed' : 'renamed in the app',
        actorId: props.actor.id,
      },
    });
  });
  return { name: props.name ?? section.name, cleverName: section.name };
}
