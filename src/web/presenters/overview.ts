// View model of /admin: the district at a glance and what waits for the signed-in admin or staff member.
import type { DistrictOverview } from '../../roster/district-overview';
import { when } from './format';
import { STATUS } from './sync-health';

export function presentOverview(o: DistrictOverview) {
  const lastSync = o.lastSuccess ? (o.lastSuccess.finishedAt ?? o.lastSuccess.resolvedAt) : null;
  const waiting: Array<{ text: string; href: string }> = [];
  if (o.held) {
    waiting.push({
      text: 'A sync is held for your review: nothing has been archived yet.',
      href: `/admin/sync/runs/${o.held.id}`,
    });
  }
  if (o.openReviews > 0) {
    waiting.push({
      text: `${o.openReviews} email match${o.openReviews === 1 ? '' : 'es'} to review`,
      href: '/admin/sync#reviews',
    });
  }
  return {
    district: o.district.name,
    isDistrictAdmin: o.scope.isDistrictAdmin,
    scopeLabel: o.scope.isDistrictAdmin
      ? 'the whole district'
      : `your schools (${o.schools.map((s) => s.name).join(', ')})`,
    counts: [
      { label: 'Students', value: o.people.student },
      { label: 'Teachers', value: o.people.teacher },
      { label: 'Staff', value: o.people.staff },
      { label: 'Sections', value: o.sections },
      { label: 'Schools', value: o.schools.length },
      { label: 'Archived people', value: o.people.archived },
    ],
    lastSync: when(lastSync) ?? 'never',
    latestRun: o.latest
      ? {
          href: `/admin/sync/runs/${o.latest.id}`,
          at: when(o.latest.createdAt),
          status: STATUS[o.latest.status] ?? o.latest.status,
          statusClass: `status-${o.latest.status}`,
        }
      : null,
    waiting,
    hasClasses: o.classCount > 0,
  };
}

export type OverviewView = ReturnType<typeof presentOverview>;
