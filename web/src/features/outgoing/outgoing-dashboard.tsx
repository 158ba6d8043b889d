import { useQuery } from '@tanstack/react-query';
import { hasAnyRole, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { WorkCounts } from '../../ui/work-counts.tsx';
import { outgoingWorkBoxesOf, type OutgoingWorkBox } from '../../../../src/domain/outgoing/outgoing.boxes.ts';
import { outgoingCountsQuery } from './outgoing.queries.ts';
import { BOX_OWNERS, BOXES } from './outgoing-routes.ts';

/** The outgoing work lists on a user's home page (those the server counts for their roles), each with whether its tile hides while empty. */
function outgoingTilesFor(user: Pick<SessionUser, 'roles'>): { box: OutgoingWorkBox; isHiddenWhenEmpty: boolean }[] {
  return outgoingWorkBoxesOf(user).map((box) => ({ box, isHiddenWhenEmpty: !hasAnyRole(user, BOX_OWNERS[box]) }));
}

/** The user's outgoing work lists with how many documents wait in each: one request for all of them, counted by the server with the lists' own rules. */
export function OutgoingWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const counts = useQuery(outgoingCountsQuery()).data?.data;
  return (
    <WorkCounts title={t('dashboard.outgoing')} tiles={outgoingTilesFor(user).map(({ box, isHiddenWhenEmpty }) => ({
      key: box, label: t(BOXES[box].label), to: BOXES[box].path, testId: `outgoing-count-${box}`, count: counts && (counts.boxes[box]?.count ?? 0), isHiddenWhenEmpty,
    }))} />
  );
}
