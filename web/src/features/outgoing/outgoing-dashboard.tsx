import { useQueries } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type Role, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { WORK_COUNT_LIMIT, WorkCounts } from '../../ui/work-counts.tsx';
import { outgoingKeys } from './outgoing-api.ts';
import { BOXES, type Box } from './outgoing-routes.ts';

type WorkBox = Exclude<Box, 'issued'>;

/**
 * Whose daily work each list is: they see its tile even at 0. Anyone else who has the list sees its tile
 * only while something waits in it — a leader drafts now and then, a staff member is sometimes in a review
 * chain, a unit head signs what the leader lets them sign: an always-empty «Dự thảo của tôi 0» told a
 * leader nothing.
 */
const OWNERS: Record<WorkBox, readonly Role[]> = { drafts: ['staff', 'unit_head'], review: ['leader', 'unit_head'], signature: ['leader'], to_issue: ['clerk'] };
const WORK_BOXES = Object.keys(OWNERS) as WorkBox[];

/** The outgoing work lists on a user's home page, each with whether its tile hides while empty. */
function outgoingTilesFor(user: Pick<SessionUser, 'roles'>): { box: WorkBox; isHiddenWhenEmpty: boolean }[] {
  return WORK_BOXES.filter((box) => hasAnyRole(user, BOXES[box].roles)).map((box) => ({ box, isHiddenWhenEmpty: !hasAnyRole(user, OWNERS[box]) }));
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
