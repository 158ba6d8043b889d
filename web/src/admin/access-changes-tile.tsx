import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';
import { hasAnyRole, type SessionView } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { WorkCounts } from '../ui/work-counts.tsx';

/** The query key of the changes list and of the home page's count: a confirmation refreshes both. */
export const ACCESS_CHANGES_KEY = ['access-changes'] as const;

/** Who is warned of changes of access until a leader confirms them (ND 30 Phụ lục VI III.3.c). */
export const ACCESS_CHANGE_ROLES = ['leader', 'admin'] as const;

/** The home page's warning for leaders and admins: changes of users' access waiting for confirmation, while there is one. */
export function AccessChangesWorkCounts({ user }: { user: SessionView['user'] }) {
  const { t } = useI18n();
  const isShown = hasAnyRole(user, ACCESS_CHANGE_ROLES);
  const count = useQuery({
    queryKey: [...ACCESS_CHANGES_KEY, 'count'], enabled: isShown,
    queryFn: () => unwrap(api.users['access-changes']['pending-count'].$get()),
  });
  if (!isShown) return null;
  return (
    <WorkCounts title={t('accessChanges.section')} tiles={[{
      key: 'access-changes', label: t('accessChanges.tile'), to: '/admin/access-changes', testId: 'access-changes-count', count: count.data?.data.pending, isHiddenWhenEmpty: true,
    }]} />
  );
}
