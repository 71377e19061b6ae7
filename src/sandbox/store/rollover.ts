import { SandboxError } from './store-errors';
import { EventBatch } from './event-log';
import { commit, mustDistrict, updateDistrict, type MutationContext } from './store-context';
import type { CleverEvent, CleverSection, CleverTerm } from './store-types';

// NOTE: at rollover districts either reuse sections or create new ones with new ids; the sandbox
// does the harder one: old terms and sections are deleted, new ones created, and the district
// reports state "paused" with pause_start/pause_end meanwhile (clever-api.md §7.4 Rollover).

const PAUSE_DAYS = 14;

function nextYear(date: string | undefined): string | undefined {
  if (!date) return date;
  return `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
}

export function rollover(ctx: MutationContext, districtId: string): CleverEvent[] {
  const district = mustDistrict(ctx, districtId);
  if (district.state === 'paused') throw new SandboxError(409, 'district is already in rollover');
  const now = ctx.now();
  const pause = new EventBatch();
  updateDistrict(ctx, pause, districtId, (d) => {
    d.state = 'paused';
    d.pause_start = new Date(now).toISOString();
    d.pause_end = new Date(now + PAUSE_DAYS * 24 * 3600_000).toISOString();
  });
  const events = commit(ctx, districtId, pause);

  const { table } = ctx;
  const oldTerms = table.ids(districtId, 'term').filter((id) => table.isShared(id));
  const oldSections = table.ids(districtId, 'section').filter((id) => table.isShared(id));
  const batch = new EventBatch();
  const newTermFor = new Map<string, string>();
  for (const termId of oldTerms) {
    const old = table.peek('term', termId)!;
    const term: CleverTerm = {
      id: ctx.ids.next(),
      district: districtId,
      name: old.name,
      start_date: nextYear(old.start_date),
      end_date: nextYear(old.end_date),
    };
    table.add('term', districtId, term);
    newTermFor.set(termId, term.id);
    batch.created('term', term);
  }
  const stamp = new Date(now).toISOString();
  for (const sectionId of oldSections) {
    const old = table.peek('section', sectionId)!;
    const section: CleverSection = {
      ...structuredClone(old),
      id: ctx.ids.next(),
      created: stamp,
      last_modified: stamp,
      sis_id: `${old.sis_id}-${new Date(now).getUTCFullYear()}`,
    };
    if (old.term_id && newTermFor.has(old.term_id)) section.term_id = newTermFor.get(old.term_id);
    table.add('section', districtId, section);
    batch.created('section', section);
  }
  for (const id of oldSections) {
    batch.deleted('section', table.peek('section', id)!);
    table.setStatus(id, 'deleted');
  }
  for (const id of oldTerms) {
    batch.deleted('term', table.peek('term', id)!);
    table.setStatus(id, 'deleted');
  }
  return [...events, ...commit(ctx, districtId, batch)];
}

export function endRollover(ctx: MutationContext, districtId: string): CleverEvent[] {
  return setDistrictState(ctx, districtId, 'running');
}

/** Sets district.state; leaving "paused" also drops pause_start/pause_end (absent, as Clever omits them). */
export function setDistrictState(ctx: MutationContext, districtId: string, state: string): CleverEvent[] {
  const allowed = ['running', 'pending', 'error', 'paused', 'success', ''];
  if (!allowed.includes(state)) throw new SandboxError(400, `state must be one of ${allowed.join(', ')}`);
  const batch = new EventBatch();
  updateDistrict(ctx, batch, districtId, (d) => {
    d.state = state;
    if (state === 'paused') {
      d.pause_start ??= new Date(ctx.now()).toISOString();
    } else {
      delete d.pause_start;
      delete d.pause_end;
    }
    d.last_sync = new Date(ctx.now()).toISOString();
  });
  return commit(ctx, districtId, batch);
}
