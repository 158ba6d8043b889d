import { useQueries, useQuery } from '@tanstack/react-query';
import { Text } from '@mantine/core';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type SessionUser } from '../../auth/session.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { WorkCounts, type WorkTile } from '../../ui/work-counts.tsx';
import { fetchHandOverDue, FILE_KEEPER_ROLES, HAND_OVER_ROLES, recordsKeys, type FileStatus, type Scope } from './records-api.ts';

type Tile = { key: string; scope: Scope; status: FileStatus; label: MessageKey; roles: typeof FILE_KEEPER_ROLES };
const TILES: Tile[] = [
  { key: 'open', scope: 'mine', status: 'open', label: 'records.dashboard.open', roles: FILE_KEEPER_ROLES },
  { key: 'to-hand-over', scope: 'agency', status: 'closed', label: 'records.dashboard.toHandOver', roles: HAND_OVER_ROLES },
];

/**
 * On the home page: the user's open files; for the clerk and the archivist the agency's closed files waiting
 * to be handed over (nộp lưu); for the archivist the batches handed over, waiting to be received; and, for whoever hands files over, those due for hand-over (the count of
 * GET /api/records/files/hand-over-due, its overdue ones in red), shown once there is one.
 */
export function RecordsWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const tiles = TILES.filter((tile) => hasAnyRole(user, tile.roles));
  const counts = useQueries({
    queries: tiles.map(({ scope, status }) => ({
      queryKey: recordsKeys.list(scope, null, status),
      queryFn: () => unwrap(api.records.files.$get({ query: { scope, status } })),
    })),
  });
  const due = useQuery({ queryKey: recordsKeys.handOverDue, queryFn: fetchHandOverDue }).data?.data;
  // The archivist's daily work: the batches handed over, waiting for «Tiếp nhận» (the hand-over page's own query).
  const isArchivist = hasAnyRole(user, ['archivist']);
  const waiting = useQuery({
    queryKey: recordsKeys.batches('waiting'), queryFn: () => unwrap(api.records['hand-over-batches'].$get({ query: { status: 'waiting' } })), enabled: isArchivist,
  });
  const batchTile: WorkTile[] = isArchivist ? [{
    key: 'batches-waiting', label: t('records.dashboard.batchesWaiting'), to: '/records/hand-over', testId: 'records-count-batches-waiting', count: waiting.data?.data.length,
  }] : [];
  const dueScope: Scope = hasAnyRole(user, HAND_OVER_ROLES) ? 'agency' : hasAnyRole(user, ['unit_head']) ? 'unit' : 'mine';
  const dueTile: WorkTile[] = due && due.due > 0 ? [{
    key: 'hand-over-due', label: t('records.dashboard.handOverDue'), to: `/records?scope=${dueScope}&handOver=due&year=all`, testId: 'records-count-hand-over-due',
    count: due.due, note: due.overdue > 0 && <Text size="sm" c="red" fw={600}>{t('records.dashboard.handOverOverdue', { count: due.overdue })}</Text>,
  }] : [];
  return (
    <WorkCounts title={t('records.dashboard')} tiles={[...tiles.map((tile, i) => ({
      key: tile.key, label: t(tile.label), to: `/records?scope=${tile.scope}&status=${tile.status}&year=all`, testId: `records-count-${tile.key}`,
      count: counts[i]?.data?.data.length,
    })), ...batchTile, ...dueTile]} />
  );
}
