import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Anchor, Badge, Button, Card, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSession } from '../../auth/session.ts';
import { fetchDirectory, incomingKeys } from './incoming-api.ts';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { noticeLink, useMarkNoticesRead, useNotices } from '../../notices/notices-api.ts';

// Notices shown before «Xem tất cả»: on a phone more would push the list itself below the fold.
const NOTICES_SHOWN = 3;

/** The user's unread notices (assignments, urgent arrivals, reminders; outgoing documents issued to their unit; work files due for hand-over): the newest, then all on demand. */
export function NoticesCard() {
  const { t, dateTime } = useI18n();
  const [isAll, setAll] = useState(false);
  // the bell's list: marking read here or there shows in both; the bell's polling refreshes it
  const unread = (useNotices().data?.data ?? []).filter((n) => !n.readAt);
  const markRead = useMarkNoticesRead();
  if (unread.length === 0) return null;
  return (
    <Card withBorder radius="md" data-testid="incoming-notices">
      <Group justify="space-between" mb="xs">
        <Group gap="xs"><Title order={5}>{t('incoming.notices')}</Title><Badge color="red">{unread.length}</Badge></Group>
        <Button size="xs" variant="subtle" onClick={() => markRead.mutate({ ids: unread.map((n) => n.id) })} loading={markRead.isPending}>{t('incoming.notices.markRead')}</Button>
      </Group>
      <Stack gap={4}>
        {(isAll ? unread : unread.slice(0, NOTICES_SHOWN)).map((n) => (
          <Text key={n.id} size="sm" data-testid="incoming-notice"><Anchor component={Link} to={noticeLink(n)}>{n.message}</Anchor> <Text span size="xs" c="dimmed">· {dateTime(n.createdAt)}</Text></Text>
        ))}
      </Stack>
      {unread.length > NOTICES_SHOWN && (
        <Button size="xs" variant="subtle" mt={4} px={0} onClick={() => setAll(!isAll)}>
          {isAll ? t('incoming.notices.fewer') : t('incoming.notices.all', { n: String(unread.length) })}
        </Button>
      )}
    </Card>
  );
}

/** A leader delegates their direction to a deputy for a date range, and sees delegations in force. */
export function DelegationCard() {
  const { t, date } = useI18n();
  const me = useSession().data?.user;
  const queryClient = useQueryClient();
  const directory = useQuery({ queryKey: incomingKeys.directory, queryFn: fetchDirectory, staleTime: 5 * 60_000 });
  const delegations = useQuery({ queryKey: ['incoming', 'delegations'], queryFn: () => unwrap(api.incoming.delegations.$get()) });
  const [deputyId, setDeputyId] = useState<string | null>(null);
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const create = useMutation({
    mutationFn: () => unwrap(api.incoming.delegations.$post({ json: { deputyId: deputyId ?? '', startsOn, endsOn } })),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('incoming.delegation.done', { name: deputies.find((u) => u.id === deputyId)?.fullName ?? '', from: date(startsOn), to: date(endsOn) }) });
      setDeputyId(null);
      setStartsOn('');
      setEndsOn('');
      void queryClient.invalidateQueries({ queryKey: ['incoming'] });
    },
  });
  const deputies = (directory.data?.data.users ?? []).filter((u) => u.roles.includes('leader') && u.id !== me?.id);
  // a commune has one chairman: nobody to choose, the form would open an empty list
  const hasNoDeputy = directory.isSuccess && deputies.length === 0;
  return (
    <Card withBorder radius="md">
      <Title order={5} mb="xs">{t('incoming.delegation')}</Title>
      <Stack gap="xs">
        {(delegations.data?.data ?? []).map((d) => (
          <Text key={d.id} size="sm">{d.leaderName} → {d.deputyName}: {date(d.startsOn)} – {date(d.endsOn)}</Text>
        ))}
        {hasNoDeputy ? <Text size="sm" c="dimmed" data-testid="delegation-no-deputy">{t('incoming.delegation.noDeputy')}</Text> : (
        <form onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
          <Group align="flex-end" gap="xs" wrap="wrap">
            <Select label={t('incoming.delegation.deputy')} data={deputies.map((u) => ({ value: u.id, label: u.fullName }))} value={deputyId} onChange={setDeputyId} w={220} />
            <VnDateInput label={t('incoming.delegation.from')} value={startsOn} onChange={setStartsOn} invalidMessage={t('doc.date.invalid')} required w={150} />
            <VnDateInput label={t('incoming.delegation.to')} value={endsOn} onChange={setEndsOn} invalidMessage={t('doc.date.invalid')} required w={150} />
            <Button type="submit" loading={create.isPending}>{t('incoming.delegation.submit')}</Button>
          </Group>
        </form>
        )}
        {create.isError && <Alert color="red">{errorMessage(create.error, t)}</Alert>}
      </Stack>
    </Card>
  );
}
