// Imports accounts that existed before Clever, so that each is matched (by email, or sis_id when enabled) and
// keeps its id and history when its owner first signs in with Clever. Each row is created whole or not at all.
import { z } from 'zod';
import { isSameKindOfPerson } from './plan-account-match';
import type { PrismaClient } from '../generated/prisma/client';
import { normalizeEmail } from '../records/map-clever';
import { inTransaction } from '../db/transaction';

export const IMPORT_HEADER = ['email', 'first_name', 'last_name', 'role'] as const;

const rowSchema = z.object({
  email: z.string().trim().min(1, 'email is empty').max(320),
  first_name: z.string().trim().max(200).optional(),
  last_name: z.string().trim().max(200).optional(),
  role: z.enum(['student', 'teacher', 'staff', 'district_admin', 'contact'], {
    error: 'role must be student, teacher, staff, district_admin or contact',
  }),
  sis_id: z.string().trim().max(200).optional(),
  district_id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'district_id is not a Clever district id')
    .optional()
    .or(z.literal('')),
});

export type ImportOutcome = 'created' | 'exists' | 'already_linked' | 'invalid';

export interface ImportLine {
  line: number;
  email: string;
  outcome: ImportOutcome;
  accountId?: string;
  message?: string;
}

/** `records`: objects keyed by the CSV header, with their 1-based line numbers in the file. */
export async function importUsers(
  prisma: PrismaClient,
  records: Array<{ line: number; fields: Record<string, string | undefined> }>,
): Promise<ImportLine[]> {
  const results: ImportLine[] = [];
  for (const { line, fields } of records) {
    const parsed = rowSchema.safeParse(fields);
    if (!parsed.success) {
      results.push({
        line,
        email: fields.email ?? '',
        outcome: 'invalid',
        message: parsed.error.issues.map((i) => i.message).join('; '),
      });
      continue;
    }
    const row = parsed.data;
    const emailNormalized = normalizeEmail(row.email)!;
    results.push({ line, email: row.email, ...(await importOne(prisma, row, emailNormalized)) });
  }
  return results;
}

async function importOne(
  prisma: PrismaClient,
  row: z.infer<typeof rowSchema>,
  emailNormalized: string,
): Promise<Omit<ImportLine, 'line' | 'email'>> {
  return inTransaction({ prisma }, async ({ prisma: tx }) => {
    const district = row.district_id
      ? await tx.district.upsert({
          where: { cleverId: row.district_id },
          // A district not yet connected: a placeholder until Clever's data names it.
          create: { cleverId: row.district_id, name: `District ${row.district_id}`, connection: 'local' },
          update: {},
        })
      : null;
    // Only an account for the same kind of person is this row's account (a parent may share a teacher's email):
    // the same rule as matching at login and in the sync (src/matching/plan-account-match.ts).
    const sameEmail = await tx.user.findMany({
      where: {
        emailNormalized,
        ...(district ? { OR: [{ districtId: district.id }, { districtId: null }] } : {}),
      },
      orderBy: { createdAt: 'asc' },
    });
    const existing = sameEmail.find((u) => isSameKindOfPerson(u.roles, [row.role])) ?? null;
    if (existing) {
      return existing.cleverId
        ? {
            outcome: 'already_linked' as const,
            accountId: existing.id,
            message: 'already linked to a Clever account',
          }
        : {
            outcome: 'exists' as const,
            accountId: existing.id,
            message: 'an account with this email is already waiting',
          };
    }
    const user = await tx.user.create({
      data: {
        managedBy: 'local',
        districtId: district?.id ?? null,
        roles: [row.role],
        email: row.email,
        emailNormalized,
        firstName: row.first_name || null,
        lastName: row.last_name || null,
        sisId: row.sis_id || null,
      },
    });
    return { outcome: 'created' as const, accountId: user.id };
  });
}
