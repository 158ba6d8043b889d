import { useQueries } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type SessionUser } from '../../auth/session.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { WorkCounts } from '../../ui/work-counts.tsx';
import { FILE_KEEPER_ROLES, HAND_OVER_ROLES, recordsKeys, type FileStatus, type Scope } from './records-api.ts';

type Tile = { key: string; scope: Scope; status: FileStatus; label: MessageKey; roles: typeof FILE_KEEPER_ROLES };
const TILES: Tile[] = [
  { key: 'open', scope: 'mine', status: 'open', label: 'records.dashboard.open', roles: FILE_KEEPER_ROLES },
  { key: 'to-hand-over', scope: 'agency', status: 'closed', label: 'records.dashboard.toHandOver', roles: HAND_OVER_ROLES },
];

/** On the home page: the user's open files, and for the clerk and the archivist the agency's closed files waiting to be handed over (nộp lưu). */
export function RecordsWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const tiles = TILES.filter((tile) => hasAnyRole(user, tile.roles));
  const counts = useQueries({
    queries: tiles.map(({ scope, status }) => ({
      queryKey: recordsKeys.list(scope, null, status),
      queryFn: () => unwrap(api.records.files.$get({ query: { scope, status } })),
    })),
  });
  return (
    <WorkCounts title={t('records.dashboard')} tiles={tiles.map((tile, i) => ({
      key: tile.key, label: t(tile.label), to: `/records?scope=${tile.scope}&status=${tile.status}&year=all`, testId: `records-count-${tile.key}`,
      count: counts[i]?.data?.data.length,
    }))} />
  );
}
