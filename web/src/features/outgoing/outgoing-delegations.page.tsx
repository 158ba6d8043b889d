import { useState } from 'react';
import { Alert, Button, Card, Group, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconUserShare from '@tabler/icons-react/dist/esm/icons/IconUserShare.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useSession } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { outgoingKeys, useDirectory } from './outgoing-api.ts';

const delegationsKey = ['outgoing', 'delegations'] as const;
type Delegation = Awaited<ReturnType<typeof fetchDelegations>>['data'][number];
const fetchDelegations = () => unwrap(api.outgoing.delegations.$get());
// Today in Vietnam, as the server counts delegation days.
const vnToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

/** "Ủy quyền ký": a leader names a deputy who signs on their behalf (KT.) for a date range, and sees or revokes the delegations in force. */
export default function OutgoingDelegationsPage() {
  const { t } = useI18n();
  const delegations = useQuery({ queryKey: delegationsKey, queryFn: fetchDelegations });
  const me = useSession().data?.user;
  if (delegations.isPending) return <LoadingState />;
  if (delegations.isError) return <ErrorState error={delegations.error} onRetry={() => void delegations.refetch()} />;
  const rows = delegations.data.data;
  const given = rows.filter((d) => d.fromUserId === me?.id);
  const received = rows.filter((d) => d.toUserId === me?.id);
  return (
    <Stack gap="md" maw={860}>
      <PageHeader title={t('outgoing.delegation.title')} subtitle={t('outgoing.delegation.help')} />
      <DelegationForm />
      <Card withBorder radius="md" padding="lg" data-testid="delegations-given">
        <Title order={4} mb="sm">{t('outgoing.delegation.given')}</Title>
        {given.length === 0 ? <Text c="dimmed" size="sm">{t('outgoing.delegation.none')}</Text>
          : <Stack gap="xs">{given.map((d) => <DelegationRow key={d.id} delegation={d} isMine />)}</Stack>}
      </Card>
      {received.length > 0 && (
        <Card withBorder radius="md" padding="lg" data-testid="delegations-received">
          <Title order={4} mb="sm">{t('outgoing.delegation.received')}</Title>
          <Stack gap="xs">{received.map((d) => <DelegationRow key={d.id} delegation={d} isMine={false} />)}</Stack>
        </Card>
      )}
    </Stack>
  );
}

function DelegationForm() {
  const { t } = useI18n();
  const me = useSession().data?.user;
  const { users } = useDirectory();
  const client = useQueryClient();
  const [deputyId, setDeputyId] = useState<string | null>(null);
  const [startsOn, setStartsOn] = useState(vnToday());
  const [endsOn, setEndsOn] = useState('');
  const deputies = users.filter((u) => u.isActive && u.roles.includes('leader') && u.id !== me?.id);
  const isBadRange = !!startsOn && !!endsOn && endsOn < startsOn;
  const create = useMutation({
    mutationFn: () => unwrap(api.outgoing.delegations.$post({ json: { toUserId: deputyId ?? '', startsOn, endsOn } })),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('outgoing.delegation.created', { name: deputies.find((u) => u.id === deputyId)?.fullName ?? '' }) });
      setDeputyId(null);
      setEndsOn('');
      await client.invalidateQueries({ queryKey: outgoingKeys.all });
    },
  });
  return (
    <Card withBorder radius="md" padding="lg">
      <form onSubmit={(e) => { e.preventDefault(); if (deputyId && startsOn && endsOn && !isBadRange) create.mutate(); }}>
        <Stack gap="sm">
          {deputies.length === 0 && <Alert color="yellow" variant="light">{t('outgoing.delegation.noDeputy')}</Alert>}
          <Select label={t('outgoing.delegation.deputy')} required searchable data={deputies.map((u) => ({ value: u.id, label: `${u.fullName}${u.position ? ` — ${u.position}` : ''}` }))}
            value={deputyId} onChange={setDeputyId} comboboxProps={{ withinPortal: true }} />
          <SimpleGrid cols={{ base: 1, xs: 2 }}>
            <VnDateInput label={t('outgoing.delegation.from')} required invalidMessage={t('doc.date.invalid')} value={startsOn} onChange={setStartsOn} />
            <VnDateInput label={t('outgoing.delegation.to')} required invalidMessage={t('doc.date.invalid')} value={endsOn} onChange={setEndsOn}
              error={isBadRange ? t('outgoing.delegation.badRange') : undefined} />
          </SimpleGrid>
          {create.isError && <Alert color="red" variant="light" role="alert">{errorMessage(create.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button type="submit" leftSection={<IconUserShare size={18} />} loading={create.isPending} disabled={!deputyId || !startsOn || !endsOn || isBadRange}>
              {t('outgoing.delegation.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function DelegationRow({ delegation: d, isMine }: { delegation: Delegation; isMine: boolean }) {
  const { t, date } = useI18n();
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => unwrap(api.outgoing.delegations[':id'].revoke.$post({ param: { id: d.id } })),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('outgoing.delegation.revoked') });
      await client.invalidateQueries({ queryKey: outgoingKeys.all });
    },
    onError: (e) => notifications.show({ color: 'red', message: errorMessage(e, t) }),
  });
  const range = { from: date(d.startsOn), to: date(d.endsOn) };
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" py={4} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }} data-testid="delegation-row">
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {isMine ? t('outgoing.delegation.row', { name: d.toName, ...range }) : t('outgoing.delegation.rowReceived', { name: d.fromName, ...range })}
        </Text>
        <Text size="xs" c="dimmed">{isMine ? d.toPosition : d.fromPosition}</Text>
      </div>
      {isMine && <Button size="xs" variant="light" color="red" onClick={() => revoke.mutate()} loading={revoke.isPending} style={{ flex: 'none' }}>{t('outgoing.delegation.revoke')}</Button>}
    </Group>
  );
}
