import { Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { WORK_COUNT_LIMIT, WorkCounts } from '../../ui/work-counts.tsx';
import { INCOMING_BOXES, incomingKeys } from './incoming-api.ts';

const WORK_BOXES = INCOMING_BOXES.filter((b) => b.box !== 'all');

/** The user's incoming work lists (to register, to direct, my tasks, my unit's) with how many wait in each and how many are overdue. */
export function IncomingWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const boxes = WORK_BOXES.filter((b) => !b.roles || hasAnyRole(user, b.roles));
  const counts = useQueries({
    queries: boxes.map(({ box }) => ({
      queryKey: [...incomingKeys.all, 'count', box],
      queryFn: () => unwrap(api.incoming.$get({ query: { box, limit: String(WORK_COUNT_LIMIT) } })),
    })),
  });
  return (
    <WorkCounts title={t('dashboard.incoming')} tiles={boxes.map(({ box, label }, i) => {
      const rows = counts[i]?.data?.data;
      const overdue = rows?.filter((d) => d.isOverdue).length ?? 0;
      return {
        key: box, label: t(label), to: `/incoming?box=${box}`, testId: `incoming-count-${box}`, count: rows?.length,
        note: overdue > 0 && <Text size="sm" c="red" fw={600}>{t('dashboard.incoming.overdue', { count: overdue })}</Text>,
      };
    })} />
  );
}
