import { SandboxError } from './store-errors';
import { EventBatch } from './event-log';
import { commit, mustPeek, sectionsOfUser, update, userSchools, type MutationContext } from './store-context';
import type { CleverEvent, CleverUser, MutableType } from './store-types';

// NOTE: unsharing and deleting look the same to the app: `*.deleted` with the last full object;
// sharing again is `*.created` (clever-api.md §5). Unsharing a user leaves its id in section
// rosters, where fetching it answers 404 (clever-api.md §3.4, §8 item 10).

/** Records hidden together with a school: its sections and users with no other shared school. */
function schoolCascade(ctx: MutationContext, schoolId: string, hiding: boolean): [MutableType, string][] {
  const district = ctx.table.districtOf(schoolId)!;
  const out: [MutableType, string][] = [['school', schoolId]];
  const wanted = hiding ? 'shared' : 'unshared';
  for (const id of ctx.table.ids(district, 'section')) {
    if (ctx.table.status(id) === wanted && ctx.table.peek('section', id)!.school === schoolId)
      out.push(['section', id]);
  }
  for (const id of ctx.table.ids(district, 'user')) {
    if (ctx.table.status(id) !== wanted || !ctx.table.userMatches(id, undefined, schoolId)) continue;
    const others = userSchools(ctx.table.peek('user', id)!).filter((s) => s !== schoolId);
    if (!hiding || others.every((s) => !ctx.table.isShared(s))) out.push(['user', id]);
  }
  return out;
}

export function unshare(ctx: MutationContext, type: MutableType, id: string): CleverEvent[] {
  mustPeek(ctx, type, id);
  if (!ctx.table.isShared(id)) throw new SandboxError(409, `${type} ${id} is not shared`);
  const targets: [MutableType, string][] = type === 'school' ? schoolCascade(ctx, id, true) : [[type, id]];
  const batch = new EventBatch();
  for (const [t, recordId] of targets) {
    batch.deleted(t, ctx.table.peek(t, recordId)!);
    ctx.table.setStatus(recordId, 'unshared');
  }
  return commit(ctx, ctx.table.districtOf(id)!, batch);
}

/**
 * Shares an unshared record again — or brings back a deleted one: Clever gives a record re-added to the SIS
 * within 300 days its old id (clever-api.md §3.3), and certification wants that id restored, not duplicated.
 */
export function reshare(ctx: MutationContext, type: MutableType, id: string): CleverEvent[] {
  if (!ctx.table.peek(type, id)) throw new SandboxError(404, `no ${type} with id ${id}`);
  const status = ctx.table.status(id);
  if (status !== 'unshared' && status !== 'deleted')
    throw new SandboxError(409, `${type} ${id} is not unshared or deleted`);
  const targets: [MutableType, string][] = type === 'school' ? schoolCascade(ctx, id, false) : [[type, id]];
  const batch = new EventBatch();
  for (const [t, recordId] of targets) {
    ctx.table.setStatus(recordId, 'shared');
    batch.created(t, ctx.table.peek(t, recordId)!);
  }
  return commit(ctx, ctx.table.districtOf(id)!, batch);
}

function removeUserEverywhere(ctx: MutationContext, batch: EventBatch, user: CleverUser): void {
  for (const section of sectionsOfUser(ctx, user.district, user.id)) {
    update(ctx, batch, 'section', section.id, (s) => {
      s.students = s.students.filter((x) => x !== user.id);
      s.teachers = s.teachers.filter((x) => x !== user.id);
      if (s.teacher === user.id) {
        if (s.teachers.length > 0) s.teacher = s.teachers[0];
        else delete s.teacher;
      }
    });
  }
  if (!user.roles.student) return;
  for (const id of ctx.table.ids(user.district, 'user')) {
    const contact = ctx.table.peek('user', id)!.roles.contact;
    if (!contact || ctx.table.status(id) === 'deleted') continue;
    if (!contact.student_relationships.some((r) => r.student === user.id)) continue;
    update(ctx, batch, 'user', id, (u) => {
      u.roles.contact!.student_relationships = u.roles.contact!.student_relationships.filter(
        (r) => r.student !== user.id,
      );
    });
  }
}

function deleteSchool(ctx: MutationContext, batch: EventBatch, schoolId: string): void {
  const district = ctx.table.districtOf(schoolId)!;
  for (const id of ctx.table.ids(district, 'section')) {
    if (ctx.table.status(id) !== 'deleted' && ctx.table.peek('section', id)!.school === schoolId) {
      deleteOne(ctx, batch, 'section', id);
    }
  }
  for (const id of ctx.table.ids(district, 'user')) {
    if (ctx.table.status(id) === 'deleted' || !ctx.table.userMatches(id, undefined, schoolId)) continue;
    const user = ctx.table.peek('user', id)!;
    if (userSchools(user).every((s) => s === schoolId)) {
      deleteOne(ctx, batch, 'user', id);
      continue;
    }
    update(ctx, batch, 'user', id, (u) => {
      for (const role of [u.roles.student, u.roles.teacher]) {
        if (!role) continue;
        role.schools = role.schools.filter((s) => s !== schoolId);
        if (role.school === schoolId && role.schools.length > 0) role.school = role.schools[0];
      }
      if (u.roles.staff) u.roles.staff.schools = u.roles.staff.schools.filter((s) => s !== schoolId);
    });
  }
}

function deleteOne(ctx: MutationContext, batch: EventBatch, type: MutableType, id: string): void {
  if (ctx.table.status(id) === 'deleted') return;
  const wasShared = ctx.table.isShared(id);
  if (type === 'user') removeUserEverywhere(ctx, batch, ctx.table.peek('user', id)!);
  if (type === 'school') deleteSchool(ctx, batch, id);
  if (type === 'term' || type === 'course') {
    const key = type === 'term' ? 'term_id' : 'course';
    for (const sectionId of ctx.table.ids(ctx.table.districtOf(id)!, 'section')) {
      if (ctx.table.status(sectionId) !== 'deleted' && ctx.table.peek('section', sectionId)![key] === id) {
        update(ctx, batch, 'section', sectionId, (s) => void delete s[key]);
      }
    }
  }
  if (wasShared) batch.deleted(type, ctx.table.peek(type, id)!);
  ctx.table.setStatus(id, 'deleted');
}

/** Removes a record from the SIS for good (a later reshare is refused). */
export function deleteRecord(ctx: MutationContext, type: MutableType, id: string): CleverEvent[] {
  mustPeek(ctx, type, id);
  const batch = new EventBatch();
  deleteOne(ctx, batch, type, id);
  return commit(ctx, ctx.table.districtOf(id)!, batch);
}

/** Unshares an evenly spread `fraction` of the district's shared students (mass-change tests). */
export function shrink(ctx: MutationContext, district: string, fraction: number): CleverEvent[] {
  if (!(fraction > 0 && fraction <= 1)) throw new SandboxError(400, 'fraction must be in (0, 1]');
  const students = ctx.table
    .ids(district, 'user')
    .filter((id) => ctx.table.isShared(id) && ctx.table.userMatches(id, 'student'));
  const batch = new EventBatch();
  students.forEach((id, i) => {
    if (Math.floor((i + 1) * fraction) === Math.floor(i * fraction)) return;
    batch.deleted('user', ctx.table.peek('user', id)!);
    ctx.table.setStatus(id, 'unshared');
  });
  return commit(ctx, district, batch);
}
