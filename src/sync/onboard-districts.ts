// District onboarding: Clever's district-app tokens say which districts share data with the app. A newly
// connected district is created (or adopts the one local district matching its NCES id or MDR number, see
// upsertDistrict); a district whose token disappeared is marked disconnected, its data kept.
// NOTE: tokens are looked up, never stored (clever-api.md §2.5).
import { CleverError } from '../clever/clever-clients';
import { recordAudit } from '../db/audit';
import { mapDistrict } from '../records/map-clever';
import { upsertDistrict } from '../records/upsert-district';
import type { SyncContext } from './sync-context';
import { inTransaction } from '../db/transaction';

export interface OnboardedDistrict {
  districtId: string;
  cleverId: string;
  name: string;
  /** No full sync ever completed or is under way: it gets one at once. */
  needsInitialSync: boolean;
}

export interface OnboardResult {
  connected: OnboardedDistrict[];
  disconnected: Array<{ districtId: string; cleverId: string }>;
  /** Districts whose record could not be read this time (left as they were). */
  failed: Array<{ cleverId: string; error: string }>;
}

export async function onboardDistricts(ctx: SyncContext): Promise<OnboardResult> {
  const tokens = await ctx.clever.oauth.districtTokens();
  const result: OnboardResult = { connected: [], disconnected: [], failed: [] };
  for (const token of tokens) {
    try {
      const district = mapDistrict(
        await ctx.clever.dataClient(token.accessToken).getDistrict(token.districtId),
      );
      const row = await inTransaction(ctx.db, { bulk: true }, async ({ sql }) => {
        const upserted = await upsertDistrict(sql, district);
        if (upserted.outcome === 'created' || upserted.adopted) {
          await recordAudit(sql, { districtId: upserted.id, source: 'sync' }, [
            {
              recordType: 'district',
              recordId: upserted.id,
              cleverId: district.cleverId,
              action: upserted.adopted ? 'matched' : 'created',
              reason: upserted.adopted ? 'matched by NCES id or MDR number' : 'district connected the app',
            },
          ]);
        }
        return upserted;
      });
      const started = await ctx.db.prisma.syncRun.count({
        where: {
          districtId: row.id,
          kind: 'full',
          isDryRun: false,
          status: { in: ['queued', 'running', 'succeeded', 'held', 'approved'] },
        },
      });
      result.connected.push({
        districtId: row.id,
        cleverId: district.cleverId,
        name: district.name,
        needsInitialSync: started === 0,
      });
    } catch (err) {
      if (!(err instanceof CleverError)) throw err;
      ctx.logger.warn({ district: token.districtId, code: err.code }, 'cannot read a connected district');
      result.failed.push({ cleverId: token.districtId, error: err.message });
    }
  }
  result.disconnected = await markDisconnected(ctx, [...tokens.map((t) => t.districtId)]);
  return result;
}

async function markDisconnected(ctx: SyncContext, connectedCleverIds: string[]) {
  return inTransaction(ctx.db, { bulk: true }, async ({ sql }) => {
    const rows = await sql(
      `UPDATE "District" SET connection = 'disconnected', "updatedAt" = now()
        WHERE connection = 'connected' AND "cleverId" IS NOT NULL AND NOT ("cleverId" = ANY($1::text[]))
        RETURNING id::text AS id, "cleverId"`,
      [connectedCleverIds],
    );
    for (const row of rows) {
      await recordAudit(sql, { districtId: String(row.id), source: 'sync' }, [
        {
          recordType: 'district',
          recordId: String(row.id),
          cleverId: String(row.cleverId),
          action: 'disconnected',
          reason: 'the district no longer shares data with the app (its token is gone); data kept',
        },
      ]);
    }
    return rows.map((r) => ({ districtId: String(r.id), cleverId: String(r.cleverId) }));
  });
}
