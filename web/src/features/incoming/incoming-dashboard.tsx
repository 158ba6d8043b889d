import { Text } from '@mantine/core';
import { hasAnyRole, type Role, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { WorkCounts, type WorkTile } from '../../ui/work-counts.tsx';
import { incomingWorkBoxesOf, type IncomingWorkBox } from '../../../../src/domain/incoming/incoming.boxes.ts';
import { REQUEST_ANSWER_ROLES, useIncomingCounts } from './incoming-api.ts';

/**
 * Whose daily work each list is: they see its tile even at 0 (nothing waits for them). Anyone else who
 * has the list sees its tile only while something waits in it — an archivist or an administrator can be
 * given a document to handle, but an always-empty «Việc của tôi» on their home page told them nothing.
 */
const OWNERS: Record<IncomingWorkBox, readonly Role[]> = { intake: ['clerk'], direct: ['leader'], mine: ['staff', 'unit_head'], unit: ['unit_head'] };

/** The incoming work lists on a user's home page (those the server counts for their roles), each with whether its tile hides while empty. */
export function incomingTilesFor(user: Pick<SessionUser, 'roles'>): { box: IncomingWorkBox; isHiddenWhenEmpty: boolean }[] {
  return incomingWorkBoxesOf(user).map((box) => ({ box, isHiddenWhenEmpty: !hasAnyRole(user, OWNERS[box]) }));
}

/**
 * The user's incoming work lists (to register, to direct, my tasks, my unit's, senders' pending requests) with
 * how many wait in each and how many are overdue: one request for all of them, counted by the server.
 */
export function IncomingWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const counts = useIncomingCounts().data?.data;
  const tiles: WorkTile[] = incomingTilesFor(user).map(({ box, isHiddenWhenEmpty }) => {
    const overdue = counts?.boxes[box]?.overdue ?? 0;
    return {
      key: box, label: t(`incoming.box.${box}`), to: `/incoming?box=${box}`, testId: `incoming-count-${box}`, count: counts && (counts.boxes[box]?.count ?? 0), isHiddenWhenEmpty,
      note: overdue > 0 && <Text size="sm" c="red" fw={600}>{t('dashboard.incoming.overdue', { count: overdue })}</Text>,
    };
  });
  // a pending recall holds its document back: shown while one waits for an answer, with the list that answers it
  if (hasAnyRole(user, REQUEST_ANSWER_ROLES)) {
    tiles.push({ key: 'requests', label: t('incoming.box.requests'), to: '/incoming?box=requests', testId: 'incoming-count-requests', count: counts?.requests?.count, isHiddenWhenEmpty: true });
  }
  return <WorkCounts title={t('dashboard.incoming')} tiles={tiles} />;
}
