// A district's verified email domains: when it names any, an email match links an account automatically only
// for an email in one of them (src/matching/plan-account-match.ts); other matches wait in the review queue.
// Clever does not verify emails, so this is how a district says which addresses it vouches for.
import type { PrismaClient } from '../generated/prisma/client';
import { inTransaction } from '../db/transaction';

/** Lower-case domain names without a leading "@"; invalid entries make the whole list invalid. */
export function parseEmailDomains(input: readonly string[]): string[] | null {
  const domains = input.map((d) => d.trim().toLowerCase().replace(/^@/, ''));
  const valid = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
  if (domains.some((d) => !valid.test(d))) return null;
  return [...new Set(domains)].sort();
}

export async function getVerifiedEmailDomains(prisma: PrismaClient, districtId: string): Promise<string[]> {
  const district = await prisma.district.findUnique({
    where: { id: districtId },
    select: { verifiedEmailDomains: true },
  });
  return district?.verifiedEmailDomains ?? [];
}

export async function setVerifiedEmailDomains(
  prisma: PrismaClient,
  props: { districtId: string; domains: string[]; actorId: string },
): Promise<string[]> {
  await inTransaction({ prisma }, async ({ prisma: tx }) => {
    await tx.district.update({
      where: { id: props.districtId },
      data: { verifiedEmailDomains: props.domains },
    });
    await tx.auditEvent.create({
      data: {
        districtId: props.districtId,
        source: 'admin',
        recordType: 'district',
        recordId: props.districtId,
        action: 'updated',
        reason: `verified email domains set to [${props.domains.join(', ')}]`,
        actorId: props.actorId,
      },
    });
  });
  return props.domains;
}
