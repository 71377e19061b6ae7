// Progress is the history Clever's certification wants tied to the student record: it hangs off the user id,
// which matching, archiving, restoring, moves and rollover all keep. Nothing here deletes it.
import type { PrismaClient } from '../generated/prisma/client';

export async function addProgress(
  prisma: PrismaClient,
  userId: string,
  input: { activity: string; score?: number | null },
) {
  return prisma.progress.create({ data: { userId, activity: input.activity, score: input.score ?? null } });
}

export async function listProgress(prisma: PrismaClient, userId: string, limit = 200) {
  return prisma.progress.findMany({ where: { userId }, orderBy: { createdAt: 'desc' }, take: limit });
}
