import { Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type Role, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { WORK_COUNT_LIMIT, WorkCounts, type WorkTile } from '../../ui/work-counts.tsx';
import { INCOMING_BOXES, incomingKeys, isWorkBox, REQUEST_ANSWER_ROLES, type WorkBox } from './incoming-api.ts';
import { usePendingRequestCount } from './incoming-requests.tsx';

/**
 * Whose daily work each list is: they see its tile even at 0 (nothing waits for them). Anyone else who
 * has the list sees its tile only while something waits in it — an archivist or an administrator can be
 * given a document to handle, but an always-empty «Việc của tôi» on their home page told them nothing.
 */
const OWNERS: Record<WorkBox, readonly Role[]> = { intake: ['clerk'], direct: ['leader'], mine: ['staff', 'unit_head'], unit: ['unit_head'] };

/** The incoming work lists on a user's home page, each with whether its tile hides while empty. */
export function incomingTilesFor(user: Pick<SessionUser, 'roles'>): { box: WorkBox; isHiddenWhenEmpty: boolean }[] {
  return INCOMING_BOXES.flatMap(({ box, roles }) => !isWorkBox(box) || (roles && !hasAnyRole(user, roles)) ? [] : [{ box, isHiddenWhenEmpty: !hasAnyRole(user, OWNERS[box]) }]);
}

/** The user's incoming work lists (to register, to direct, my tasks, my unit's, senders' pending requests) with how many wait in each and how many are overdue. */
export function IncomingWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const boxes = incomingTilesFor(user);
  const counts = useQueries({
    queries: boxes.map(({ box }) => ({
      queryKey: [...incomingKeys.all, 'count', box],
      queryFn: () => unwrap(api.incoming.$get({ query: { box, limit: String(WORK_COUNT_LIMIT) } })),
    })),
  });
  const canAnswer = hasAnyRole(user, REQUEST_ANSWER_ROLES);
  const requests = usePendingRequestCount(canAnswer).data?.data.count;
  const tiles: WorkTile[] = boxes.map(({ box, isHiddenWhenEmpty }, i) => {
    const rows = counts[i]?.data?.data;
    const overdue = rows?.filter((d) => d.isOverdue).length ?? 0;
    return {
      key: box, label: t(`incoming.box.${box}`), to: `/incoming?box=${box}`, testId: `incoming-count-${box}`, count: rows?.length, isHiddenWhenEmpty,
      note: overdue > 0 && <Text size="sm" c="red" fw={600}>{t('dashboard.incoming.overdue', { count: overdue })}</Text>,
    };
  });
  // a pending recall holds its document back: shown while one waits for an answer, with the list that answers it
  if (canAnswer) tiles.push({ key: 'requests', label: t('incoming.box.requests'), to: '/incoming?box=requests', testId: 'incoming-count-requests', count: requests, isHiddenWhenEmpty: true });
  return <WorkCounts title={t('dashboard.incoming')} tiles={tiles} />;
}
