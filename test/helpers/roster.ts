// Builds rosters of a chosen size in the sandbox (for cost ceilings and benchmarks).
import { PERSONAS, type SandboxStore } from '../../src/sandbox/sandbox-api';

/** A new teacher in Sandbox ISD with `sections` sections of `perSection` new students; returns their Clever id. */
export function createTeacherWithSections(
  store: SandboxStore,
  tag: string,
  sections: number,
  perSection: number,
): string {
  const school = store.getUser(PERSONAS.teacher)!.roles.teacher!.school!;
  const teacher = store.createUser({
    district: PERSONAS.districtId,
    role: 'teacher',
    name: { first: tag, last: 'Teacher' },
    school,
    email: `${tag}@example.org`,
  }).user;
  for (let s = 0; s < sections; s++) {
    const students = Array.from(
      { length: perSection },
      (_, i) =>
        store.createUser({
          district: PERSONAS.districtId,
          role: 'student',
          name: { first: `${tag}-${s}`, last: `Student${i}` },
          school,
        }).user.id,
    );
    store.createSection({ school, name: `${tag} class ${s}`, teacher: teacher.id, students });
  }
  return teacher.id;
}
