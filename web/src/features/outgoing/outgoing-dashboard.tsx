import { useQueries } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { WORK_COUNT_LIMIT, WorkCounts } from '../../ui/work-counts.tsx';
import { outgoingKeys } from './outgoing-api.ts';
import { BOX_OWNERS, BOXES, type WorkBox } from './outgoing-routes.ts';

const WORK_BOXES = Object.keys(BOX_OWNERS) as WorkBox[];

/** The outgoing work lists on a user's home page, each with whether its tile hides while empty. */
function outgoingTilesFor(user: Pick<SessionUser, 'roles'>): { box: WorkBox; isHiddenWhenEmpty: boolean }[] {
  return WORK_BOXES.filter((box) => hasAnyRole(user, BOXES[box].roles)).map((box) => ({ box, isHiddenWhenEmpty: !hasAnyRole(user, BOX_OWNERS[box]) }));
}

/** The user's outgoing work lists with how many documents wait in each (the same queries as the lists). */
export function OutgoingWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const boxes = outgoingTilesFor(user);
  const counts = useQueries({
    queries: boxes.map(({ box }) => ({
      queryKey: outgoingKeys.list(box, ''),
      queryFn: () => unwrap(api.outgoing.$get({ query: { box, limit: String(WORK_COUNT_LIMIT) } })),
    })),
  });
  return (
    <WorkCounts title={t('dashboard.outgoing')} tiles={boxes.map(({ box, isHiddenWhenEmpty }, i) => ({
      key: box, label: t(BOXES[box].label), to: BOXES[box].path, testId: `outgoing-count-${box}`, count: counts[i]?.data?.data.length, isHiddenWhenEmpty,
    }))} />
  );
}
