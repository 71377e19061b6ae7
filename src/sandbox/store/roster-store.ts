import { SandboxError } from './store-errors';
import { EventBatch } from './event-log';
import { commit, mustPeek, sectionsOfUser, update, type MutationContext } from './store-context';
import type { CleverEvent, CleverName, CleverSection, CleverUser, MutableType, Role } from './store-types';

// NOTE: enrollment changes arrive as `sections.updated`; the user changes only when its schools
// change (clever-api.md §3.4). Students' `schools` are the schools of their sections.

const MAX_TEACHERS = 10; // NOTE: 1 primary + 9 co-teachers (clever-api.md §7.4)

function sharedUser(ctx: MutationContext, id: string, role: Role): CleverUser {
  const user = mustPeek(ctx, 'user', id);
  if (!user.roles[role]) throw new SandboxError(400, `user ${id} is not a ${role}`);
  return user;
}

function recomputeStudentSchools(
  ctx: MutationContext,
  batch: EventBatch,
  studentId: string,
  primary?: string,
): void {
  const user = ctx.table.peek('user', studentId)!;
  const sectionSchools = sectionsOfUser(ctx, user.district, studentId).map((s) => s.school);
  update(ctx, batch, 'user', studentId, (u) => {
    const role = u.roles.student!;
    role.school = primary ?? role.school;
    const wanted = new Set([role.school, ...sectionSchools]);
    // Keep the existing order (primary is often not first), append new schools at the end.
    role.schools = [
      ...role.schools.filter((s) => wanted.has(s)),
      ...[...wanted].filter((s) => !role.schools.includes(s)),
    ];
  });
}

export interface MoveStudent {
  toSchool?: string;
  fromSection?: string;
  toSection?: string;
}

export function moveStudent(ctx: MutationContext, studentId: string, move: MoveStudent): CleverEvent[] {
  const student = sharedUser(ctx, studentId, 'student');
  if (!move.toSchool && !move.fromSection && !move.toSection) {
    throw new SandboxError(400, 'give toSchool, fromSection and/or toSection');
  }
  const batch = new EventBatch();
  if (move.fromSection) {
    const from = mustPeek(ctx, 'section', move.fromSection);
    if (!from.students.includes(studentId)) throw new SandboxError(400, 'student is not in fromSection');
    update(
      ctx,
      batch,
      'section',
      from.id,
      (s) => void (s.students = s.students.filter((x) => x !== studentId)),
    );
  }
  if (move.toSection) {
    const to = mustPeek(ctx, 'section', move.toSection);
    if (to.district !== student.district) throw new SandboxError(400, 'toSection is in another district');
    if (!to.students.includes(studentId))
      update(ctx, batch, 'section', to.id, (s) => void s.students.push(studentId));
  }
  if (move.toSchool && mustPeek(ctx, 'school', move.toSchool).district !== student.district) {
    throw new SandboxError(400, 'toSchool is in another district');
  }
  recomputeStudentSchools(ctx, batch, studentId, move.toSchool);
  return commit(ctx, student.district, batch);
}

export function addCoTeacher(ctx: MutationContext, sectionId: string, teacherId: string): CleverEvent[] {
  const section = mustPeek(ctx, 'section', sectionId);
  const teacher = sharedUser(ctx, teacherId, 'teacher');
  if (section.teachers.includes(teacherId))
    throw new SandboxError(409, 'teacher already teaches this section');
  if (section.teachers.length >= MAX_TEACHERS)
    throw new SandboxError(400, 'a section has at most 10 teachers');
  const batch = new EventBatch();
  if (!teacher.roles.teacher!.schools.includes(section.school)) {
    update(ctx, batch, 'user', teacherId, (u) => void u.roles.teacher!.schools.push(section.school));
  }
  update(ctx, batch, 'section', sectionId, (s) => {
    s.teachers.push(teacherId);
    s.teacher ??= teacherId;
  });
  return commit(ctx, section.district, batch);
}

export function removeCoTeacher(ctx: MutationContext, sectionId: string, teacherId: string): CleverEvent[] {
  const section = mustPeek(ctx, 'section', sectionId);
  if (!section.teachers.includes(teacherId))
    throw new SandboxError(400, 'teacher does not teach this section');
  const batch = new EventBatch();
  update(ctx, batch, 'section', sectionId, (s) => {
    s.teachers = s.teachers.filter((x) => x !== teacherId);
    if (s.teacher === teacherId) {
      if (s.teachers.length > 0) s.teacher = s.teachers[0];
      else delete s.teacher;
    }
  });
  return commit(ctx, section.district, batch);
}

export function rename(
  ctx: MutationContext,
  type: MutableType,
  id: string,
  name: string | CleverName,
): CleverEvent[] {
  const batch = new EventBatch();
  const record = mustPeek(ctx, type, id);
  update(ctx, batch, type, id, (draft) => {
    if (type !== 'user') {
      (draft as { name?: string }).name = typeof name === 'string' ? name : [name.first, name.last].join(' ');
      return;
    }
    const [first, ...rest] = typeof name === 'string' ? name.trim().split(/\s+/) : [];
    (draft as CleverUser).name = typeof name === 'string' ? { first, last: rest.join(' ') } : { ...name };
  });
  return commit(ctx, record.district, batch);
}

/** `null` removes the email key entirely (Clever omits missing emails). */
export function setEmail(ctx: MutationContext, userId: string, email: string | null): CleverEvent[] {
  const user = mustPeek(ctx, 'user', userId);
  const batch = new EventBatch();
  update(ctx, batch, 'user', userId, (u) => {
    if (email === null) delete u.email;
    else u.email = email;
  });
  return commit(ctx, user.district, batch);
}

export interface NewUser {
  district: string;
  role: Role;
  name: CleverName;
  email?: string;
  /** Primary school (students, teachers) or the only school (staff). */
  school?: string;
  sisId?: string;
}

export function createUser(
  ctx: MutationContext,
  input: NewUser,
): { user: CleverUser; events: CleverEvent[] } {
  if (!ctx.districts.has(input.district)) throw new SandboxError(404, `no district ${input.district}`);
  const needsSchool = input.role === 'student' || input.role === 'teacher' || input.role === 'staff';
  if (needsSchool && !input.school) throw new SandboxError(400, `a ${input.role} needs a school`);
  if (input.school && mustPeek(ctx, 'school', input.school).district !== input.district) {
    throw new SandboxError(400, 'school is in another district');
  }
  const id = ctx.ids.next();
  const now = new Date(ctx.now()).toISOString();
  const legacy = ctx.ids.next();
  const school = input.school!;
  const sis = input.sisId ?? String(parseInt(id.slice(-6), 16));
  const roles: CleverUser['roles'] = {
    student: { student: { school, schools: [school], sis_id: sis, legacy_id: id, enrollments: [] } },
    teacher: { teacher: { school, schools: [school], sis_id: sis, legacy_id: legacy } },
    staff: { staff: { roles: ['PortalOnly'], schools: [school], staff_id: sis, legacy_id: legacy } },
    district_admin: { district_admin: { legacy_id: legacy } },
    contact: { contact: { legacy_id: legacy, sis_id: sis, student_relationships: [] } },
  }[input.role];
  const user: CleverUser = {
    id,
    district: input.district,
    created: now,
    last_modified: now,
    name: input.name,
    ...(input.email === undefined ? {} : { email: input.email }),
    roles,
  };
  ctx.table.add('user', input.district, user);
  return { user, events: commit(ctx, input.district, new EventBatch().created('user', user)) };
}

export interface NewSection {
  school: string;
  name: string;
  teacher: string;
  students?: string[];
  term?: string;
  course?: string;
  subject?: string;
}

export function createSection(
  ctx: MutationContext,
  input: NewSection,
): { section: CleverSection; events: CleverEvent[] } {
  const school = mustPeek(ctx, 'school', input.school);
  sharedUser(ctx, input.teacher, 'teacher');
  const students = input.students ?? [];
  for (const studentId of students) sharedUser(ctx, studentId, 'student');
  const now = new Date(ctx.now()).toISOString();
  const id = ctx.ids.next();
  const section: CleverSection = {
    id,
    district: school.district,
    school: school.id,
    created: now,
    last_modified: now,
    name: input.name,
    sis_id: String(parseInt(id.slice(-6), 16)),
    subject: input.subject ?? '',
    teacher: input.teacher,
    teachers: [input.teacher],
    students: [...students],
    ...(input.term ? { term_id: input.term } : {}),
    ...(input.course ? { course: input.course } : {}),
  };
  ctx.table.add('section', school.district, section);
  const batch = new EventBatch().created('section', section);
  for (const studentId of students) recomputeStudentSchools(ctx, batch, studentId);
  return { section, events: commit(ctx, school.district, batch) };
}

/**
 * A user gains a role (e.g. a teacher who also becomes staff at a school): one `users.updated` whose
 * previous_attributes show the role was absent. Students, teachers and staff need a school.
 */
export function addRole(ctx: MutationContext, userId: string, role: Role, school?: string): CleverEvent[] {
  const user = mustPeek(ctx, 'user', userId);
  if (user.roles[role]) throw new SandboxError(400, `user ${userId} is already a ${role}`);
  const needsSchool = role === 'student' || role === 'teacher' || role === 'staff';
  if (needsSchool && !school) throw new SandboxError(400, `a ${role} needs a school`);
  if (school && mustPeek(ctx, 'school', school).district !== user.district) {
    throw new SandboxError(400, 'school is in another district');
  }
  const legacy = ctx.ids.next();
  const sis = String(parseInt(legacy.slice(-6), 16));
  const batch = new EventBatch();
  update(ctx, batch, 'user', userId, (u) => {
    const s = school!;
    if (role === 'student') {
      u.roles.student = { school: s, schools: [s], sis_id: sis, legacy_id: legacy, enrollments: [] };
    }
    if (role === 'teacher') u.roles.teacher = { school: s, schools: [s], sis_id: sis, legacy_id: legacy };
    if (role === 'staff') {
      u.roles.staff = { roles: ['PortalOnly'], schools: [s], staff_id: sis, legacy_id: legacy };
    }
    if (role === 'district_admin') u.roles.district_admin = { legacy_id: legacy };
    if (role === 'contact') u.roles.contact = { legacy_id: legacy, sis_id: sis, student_relationships: [] };
  });
  return commit(ctx, user.district, batch);
}

/** A user loses one of several roles: one `users.updated`. The last role cannot go (that is a delete). */
export function removeRole(ctx: MutationContext, userId: string, role: Role): CleverEvent[] {
  const user = sharedUser(ctx, userId, role);
  if (Object.keys(user.roles).length < 2) {
    throw new SandboxError(400, `${role} is the only role of user ${userId}; delete or unshare the user`);
  }
  const batch = new EventBatch();
  update(ctx, batch, 'user', userId, (u) => {
    delete u.roles[role];
  });
  return commit(ctx, user.district, batch);
}
