// View model of /admin/people/:id: who the person is, where they belong, how the account was matched, and
// the audit trail of archives and restores with their reasons, and their progress history.
import type { PersonDetail } from '../../roster/person-detail';
import type { Prisma } from '../../generated/prisma/client';
import { personName, roleLabel, when } from './format';

const MATCHED_BY: Record<string, string> = {
  clever_id: 'by Clever id (a returning Clever user)',
  email: 'by email, to an account that existed before Clever',
  sis_id: 'by sis_id, to an account that existed before Clever',
  created: 'created for this Clever user (no existing account matched)',
};

const SOURCES: Record<string, string> = {
  login: 'at sign-in',
  sync: 'by the district sync',
  events: 'by a Clever event',
  admin: 'by an admin',
  import: 'by an import',
};

/** What Clever last told us about the person: the newest change it brought, and when it last listed them. */
function lastFromClever(user: PersonDetail['user'], audit: PersonDetail['audit']) {
  const latest = audit.find((e) => e.source === 'login' || e.source === 'sync' || e.source === 'events');
  return {
    lastSeenAt: when(user.lastSeenAt),
    latest: latest
      ? {
          at: when(latest.createdAt),
          action: latest.action,
          how: SOURCES[latest.source] ?? latest.source,
          reason: latest.reason,
        }
      : null,
  };
}

export function presentPerson({ user, audit, progress, progressCount }: PersonDetail) {
  const existedBefore = user.matchedBy === 'email' || user.matchedBy === 'sis_id';
  return {
    clever: lastFromClever(user, audit),
    account: {
      id: user.id,
      createdAt: when(user.createdAt),
      origin: existedBefore
        ? 'an account that existed before Clever; the Clever id was linked to it'
        : user.managedBy === 'local'
          ? 'an account managed by this app'
          : 'created for this Clever user',
    },
    name: personName(user),
    roles: user.roles.map(roleLabel),
    email: user.email,
    sisId: user.sisId,
    cleverId: user.cleverId,
    grade: user.grade,
    isLocal: user.managedBy === 'local',
    matchedBy: user.matchedBy ? (MATCHED_BY[user.matchedBy] ?? user.matchedBy) : 'not linked to Clever yet',
    matchedAt: when(user.matchedAt),
    lastLoginAt: when(user.lastLoginAt),
    archived: user.archivedAt ? { at: when(user.archivedAt), reason: user.archiveReason } : null,
    schools: user.schoolMemberships.map((m) => ({
      name: m.school.name,
      isPrimary: m.isPrimary,
      archivedAt: when(m.archivedAt ?? m.school.archivedAt),
    })),
    sections: user.sectionMemberships.map((m) => ({
      href: `/admin/sections/${m.section.id}`,
      name: m.section.localName ?? m.section.name ?? 'Unnamed section',
      role: m.role === 'co_teacher' ? 'co-teacher' : m.role,
      school: m.section.school?.name ?? '',
      term: m.section.term?.name ?? '',
      archivedAt: when(m.archivedAt ?? m.section.archivedAt),
    })),
    history: audit.map((e) => ({
      at: when(e.createdAt),
      action: e.action,
      how: SOURCES[e.source] ?? e.source,
      reason: e.reason,
    })),
    progress: progress.map((p) => ({ activity: p.activity, score: p.score, at: when(p.createdAt) })),
    progressCount,
  };
}

export type PersonView = ReturnType<typeof presentPerson>;

/** The answer to a roster search by Clever id: the person, archived or not, or the same "not found" for an id
 * nobody has and for someone outside the admin's scope. */
export function presentCleverIdAnswer(
  cleverId: string,
  person: Prisma.UserGetPayload<{
    select: { id: true; firstName: true; lastName: true; archivedAt: true; archiveReason: true };
  }> | null,
) {
  if (!person) {
    return { cleverId, isFound: false, text: `No one in your roster has the Clever id ${cleverId}.` };
  }
  return {
    cleverId,
    isFound: true,
    href: `/admin/people/${person.id}`,
    name: personName(person),
    archived: person.archivedAt ? { at: when(person.archivedAt), reason: person.archiveReason } : null,
  };
}
