// A full sync of one district with its district-app token. Every collection is streamed page by page and
// each page written in its own short transaction, staging the Clever keys seen; only when every collection
// was fetched completely and validated is the archive plan computed, checked by the mass-change guard, and
// swept (or held for review). Any failure before that leaves nothing archived.
// Why: docs/decisions/0002-sync-mark-and-sweep.md; Clever on mass changes:
// https://dev.clever.com/docs/data-changes.
import {
  CleverCourseSchema,
  CleverError,
  CleverNotFoundError,
  CleverRequestError,
  CleverSchoolSchema,
  CleverSectionSchema,
  CleverTermSchema,
  CleverSentRecordSchema,
  withDistrictToken,
  type CleverDataClient,
} from '../clever/clever-clients';
import { mapDistrict } from '../records/map-clever';
import { upsertDistrict } from '../records/upsert-district';
import { applyArchivePlan } from './archive/apply-plan';
import type { ProgressListener, SyncContext } from './sync-context';
import type { HeldLock } from './lock/hold-district-lock';
import {
  emptyRunCounts,
  mergeCounts,
  writtenCount,
  type RunCounts,
  type SyncRecordType,
} from './plan/counts';
import { evaluateGuard, isInRollover, thresholdFor, type GuardDecision } from './plan/guard';
import { planArchives } from './archive/plan-archives';
import { readAhead } from './read-ahead';
import { PageWriters } from './page-writers';
import { finishRun, recordProgress, type RunProgress } from './runs/run-status';
import { inTransaction } from '../db/transaction';
import { districtSchoolIds, skipInvalid, type WriteContext } from './write/write-context';
import { hasDigests, SECTION_DIGEST, USER_DIGEST } from '../db/sync-digest';
import { writeCourses, writeSchools, writeTerms } from './write/write-records';
import { writeSections } from './write/write-sections';
import { refreshStatistics } from './write/refresh-statistics';
import { SeenKeys } from './write/staging';
import { PendingUsers, userSourceSalt, writePendingUsers, writeUserPage } from './write/write-users';

export interface FullSyncProps {
  runId: string;
  /** Local district id. */
  districtId: string;
  cleverDistrictId: string;
  isDryRun: boolean;
  /** Held by non-dry runs; checked before every write. */
  lock?: HeldLock;
  onProgress?: ProgressListener;
}

export interface FullSyncOutcome {
  status: 'succeeded' | 'held' | 'dry_run';
  counts: RunCounts;
  guard: GuardDecision;
}

/** How often, at most, a page records the run's progress (after the first page of each collection). */
const PROGRESS_INTERVAL_MS = 1000;

type Writer = (w: WriteContext, records: never[]) => Promise<unknown>;
// Users before sections: a section's members are resolved against the users this run has seen.
const COLLECTIONS: Array<{
  name: string;
  path: string;
  type: SyncRecordType;
  schema: unknown;
  write: Writer;
}> = [
  {
    name: 'schools',
    path: '/schools',
    type: 'school',
    schema: CleverSchoolSchema,
    write: writeSchools as Writer,
  },
  { name: 'terms', path: '/terms', type: 'term', schema: CleverTermSchema, write: writeTerms as Writer },
  {
    name: 'courses',
    path: '/courses',
    type: 'course',
    schema: CleverCourseSchema,
    write: writeCourses as Writer,
  },
  // Users arrive as sent: writeUserPage validates only those not exactly as last time.
  {
    name: 'users',
    path: '/users',
    type: 'user',
    schema: CleverSentRecordSchema,
    write: writeUserPage as Writer,
  },
  {
    name: 'sections',
    path: '/sections',
    type: 'section',
    schema: CleverSectionSchema,
    write: writeSections as Writer,
  },
];
const USERS = COLLECTIONS.find((c) => c.type === 'user')!;

export async function runFullSync(ctx: SyncContext, props: FullSyncProps): Promise<FullSyncOutcome> {
  const seen = new SeenKeys();
  const fetched = await withDistrictToken(ctx.clever.tokens, props.cleverDistrictId, (token) =>
    fetchEverything(ctx, props, token, seen),
  );
  // Every page is written (a held run's too): tables it loaded get statistics before the planning queries.
  if (!props.isDryRun) await refreshStatistics(ctx.db, fetched.counts, ctx.logger);
  props.onProgress?.({ kind: 'phase', phase: 'planning' });
  const stats = await inTransaction(ctx.db, { bulk: true }, async ({ sql }) => {
    await recordProgress(sql, props.runId, fetched.progress);
    return planArchives(sql, { ...props, seen });
  });
  const guard = evaluateGuard({
    stats,
    threshold: thresholdFor(fetched.threshold, ctx.settings.massChangeThreshold),
    isRollover: fetched.isRollover,
  });
  const { counts } = fetched;
  const plan = { guard, stats };
  if (props.isDryRun || guard.isHeld) {
    const status = props.isDryRun ? 'dry_run' : 'held';
    await inTransaction(ctx.db, { bulk: true }, ({ sql }) =>
      finishRun(sql, props.runId, { status, counts, plan, eventCursor: fetched.eventCursor }),
    );
    return { status, counts, guard };
  }
  props.lock?.assertHeld();
  props.onProgress?.({ kind: 'phase', phase: 'archiving' });
  const final = await applyArchivePlan(ctx, {
    runId: props.runId,
    districtId: props.districtId,
    status: 'succeeded',
    counts,
    plan,
    eventCursor: fetched.eventCursor,
    source: 'sync',
  });
  return { status: 'succeeded', counts: final, guard };
}

async function fetchEverything(ctx: SyncContext, props: FullSyncProps, token: string, seen: SeenKeys) {
  const invalid: unknown[] = [];
  const client = ctx.clever.dataClient(token, {
    pageSize: ctx.settings.pageSize,
    onInvalid: (record) => void invalid.push(record),
  });
  const counts = emptyRunCounts();
  const district = mapDistrict(await client.getDistrict(props.cleverDistrictId));
  const eventCursor = await latestEventId(ctx, client);
  if (!props.isDryRun) {
    props.lock?.assertHeld();
    await inTransaction(ctx.db, { bulk: true }, ({ sql }) => upsertDistrict(sql, district));
  }
  const row = await ctx.db.prisma.district.findUniqueOrThrow({
    where: { id: props.districtId },
    select: { massChangeThreshold: true },
  });

  props.onProgress?.({ kind: 'phase', phase: 'fetching' });
  const progress: RunProgress = { collection: '', pagesRead: 0, recordsRead: 0, recordsWritten: 0 };
  // Known for the whole run: whether there are digests to look up, and (once written) the schools' ids.
  const digests = await inTransaction(ctx.db, { bulk: true }, async ({ sql }) => ({
    User: await hasDigests(sql, USER_DIGEST, props.districtId),
    Section: await hasDigests(sql, SECTION_DIGEST, props.districtId),
  }));
  let schoolIds: Map<string, string> | undefined;
  let userSalt: string | undefined;
  let lastRecordedAt = 0;
  // Changed users are carried from page to page and written a page's worth at a time (write-users.ts).
  const pendingUsers = new PendingUsers(ctx.settings.pageSize);
  // PGlite has one connection: a second page would only queue for it, ahead of the app's other work.
  const writers = new PageWriters(ctx.db.kind === 'pglite' ? 1 : ctx.settings.writeConcurrency);
  try {
    await writeCollections();
  } catch (err) {
    // A failed read keeps what was read before it, as a page written does: the users carried are written first
    // (unless a write failed or the lock was lost: then the first failure is all the run reports).
    try {
      await writeCarriedUsers();
    } catch {
      // The run fails with `err` either way.
    }
    throw err;
  } finally {
    // A failed fetch or page leaves no write running behind the run's back.
    await writers.settle();
  }
  async function writeCollections() {
    for (const collection of COLLECTIONS) {
      let records = 0;
      props.onProgress?.({ kind: 'collection', collection: collection.name, records, done: false });
      const pages = client.pages(collection.path, {}, collection.schema as never);
      for await (const { item: page, captured: rejected } of readAhead(pages, () => invalid.splice(0))) {
        const length = (page as unknown[]).length;
        await writePage(
          collection,
          length,
          async (w) => {
            await collection.write(w, page as never[]);
            for (const raw of rejected) await skipInvalid(w, collection.type, raw);
          },
          () => {
            records += length;
            props.onProgress?.({ kind: 'collection', collection: collection.name, records, done: false });
          },
        );
      }
      // Users before sections: every page of a collection is written before the next collection starts,
      // the users carried by the last pages included (sections are checked against the users seen).
      await writeCarriedUsers();
      if (collection.type === 'school') {
        schoolIds = await inTransaction(ctx.db, { bulk: true }, ({ sql }) =>
          districtSchoolIds(sql, props.districtId),
        );
        userSalt = userSourceSalt(schoolIds);
      }
      props.onProgress?.({ kind: 'collection', collection: collection.name, records, done: true });
    }
  }
  /**
   * Waits for the pages in flight, then writes the users they carried (a page still in flight may add to the
   * carry, hence the first wait) and waits for that write too.
   */
  async function writeCarriedUsers() {
    await writers.drain();
    if (pendingUsers.size === 0) return;
    await writePage(USERS, 0, writePendingUsers);
    await writers.drain();
  }
  /** Queues one transaction of a collection's writes: a page of `length` records (or the users carried). */
  async function writePage(
    collection: (typeof COLLECTIONS)[number],
    length: number,
    write: (w: WriteContext) => Promise<void>,
    written?: () => void,
  ) {
    props.lock?.assertHeld();
    // What this page's transaction records as the run's progress: the pages and records read up to it.
    // Recorded with the first page of each collection and then at most once a PROGRESS_INTERVAL_MS: every
    // page writing the run's row made pages that change nothing wait on each other's commit.
    const read = {
      pagesRead: progress.pagesRead + (length > 0 ? 1 : 0),
      recordsRead: progress.recordsRead + length,
    };
    const recordsProgress =
      progress.collection !== collection.name || Date.now() - lastRecordedAt >= PROGRESS_INTERVAL_MS;
    if (recordsProgress) lastRecordedAt = Date.now();
    progress.pagesRead = read.pagesRead;
    progress.recordsRead = read.recordsRead;
    progress.collection = collection.name;
    await writers.add(async () => {
      const pageCounts = await inTransaction(ctx.db, { bulk: true }, async ({ sql }) => {
        const w: WriteContext = {
          sql,
          districtId: props.districtId,
          runId: props.runId,
          mode: props.isDryRun ? 'dry_run' : 'full',
          counts: emptyRunCounts(),
          matchStudentsBySisId: ctx.settings.matchStudentsBySisId,
          seen,
          schoolIds,
          digests,
          userSourceSalt: userSalt,
          pendingUsers,
        };
        await write(w);
        // The run's progress is recorded with the page it counts (one transaction a page, not two).
        if (recordsProgress) {
          await recordProgress(sql, props.runId, {
            collection: collection.name,
            ...read,
            recordsWritten: writtenCount(counts) + writtenCount(w.counts),
          });
        }
        return w.counts;
      });
      mergeCounts(counts, pageCounts);
      progress.recordsWritten = writtenCount(counts);
      written?.();
    });
  }
  return {
    counts,
    progress,
    eventCursor,
    threshold: row.massChangeThreshold,
    isRollover: isInRollover(district, new Date()),
  };
}

/**
 * NOTE: the newest event id is read before the full sync, and events are polled from it afterwards
 * (https://dev.clever.com/docs/events-api). A district without the Events API enabled answers 4xx: full syncs
 * still work.
 */
async function latestEventId(ctx: SyncContext, client: CleverDataClient): Promise<string | null> {
  try {
    return await client.latestEventId();
  } catch (err) {
    if (err instanceof CleverNotFoundError || err instanceof CleverRequestError) {
      ctx.logger.info({ code: (err as CleverError).code }, 'Events API not available for this district');
      return null;
    }
    throw err;
  }
}
