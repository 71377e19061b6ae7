// View model of /admin/people/:id: who the person is, where they belong, how the account was matched, and
// the audit trail of archives and restores with their reasons, and their progress history.
import type { PersonDetail } from '../../roster/person-detail';
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

export function presentPerson({ user, audit, progress, progressCount }: PersonDetail) {
  return {
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
