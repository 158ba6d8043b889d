import { Alert, Badge, Button, Card, EmptyState, Group, Modal, ScrollArea, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import IconShieldCheck from '@tabler/icons-react/dist/esm/icons/IconShieldCheck.mjs';
import { api, unwrap } from '../api/client.ts';
import { hasAnyRole, useSession } from '../auth/session.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { ACCESS_CHANGES_KEY } from './access-changes-tile.tsx';

type Change = InferResponseType<typeof api.users['access-changes']['$get'], 200>['data'][number];
type State = NonNullable<Change['before']>;

/**
 * Leaders and admins: changes of users' access (roles, unit, new or locked accounts) flagged until a leader
 * who did not make them confirms them (ND 30 Phụ lục VI III.3.c) — what each was and became, who changed
 * it and when, and «Xác nhận»; «Xác nhận tất cả (N)» when two or more are the viewer's to confirm. The tab
 * lives in the address (?tab=all).
 */
export default function AccessChangesPage() {
  const { t } = useI18n();
  const { data: session } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'all' ? 'all' : 'pending';
  const changes = useQuery({
    queryKey: [...ACCESS_CHANGES_KEY, tab],
    queryFn: () => unwrap(api.users['access-changes'].$get({ query: { status: tab, limit: '200' } })),
  });
  const isLeader = session ? hasAnyRole(session.user, ['leader']) : false;
  const rows = changes.data?.data ?? [];
  const confirmable = rows.filter((r) => !r.confirmedAt && r.canConfirm);
  return (
    <Stack gap="md" maw={900}>
      <PageHeader title={t('accessChanges.title')} subtitle={t('accessChanges.subtitle')} />
      {!isLeader && <Alert color="gray" variant="light">{t('accessChanges.adminNote')}</Alert>}
      <Tabs value={tab} onChange={(v) => setParams(v === 'all' ? { tab: 'all' } : {}, { replace: true })}>
        <Tabs.List>
          <Tabs.Tab value="pending">{t('accessChanges.tab.pending')}</Tabs.Tab>
          <Tabs.Tab value="all">{t('accessChanges.tab.all')}</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {confirmable.length >= 2 && <ConfirmAll changes={confirmable} />}
      {changes.isPending ? <LoadingState /> : changes.isError ? <ErrorState error={changes.error} onRetry={() => void changes.refetch()} /> : rows.length === 0 ? (
        <Card withBorder radius="md" py="xl"><EmptyState icon={<IconShieldCheck size={32} />} title={t(tab === 'pending' ? 'accessChanges.empty.pending' : 'accessChanges.empty.all')} /></Card>
      ) : rows.map((change) => <ChangeCard key={change.id} change={change} />)}
    </Stack>
  );
}

function ChangeCard({ change }: { change: Change }) {
  const { t, dateTime } = useI18n();
  const client = useQueryClient();
  const confirm = useMutation({
    mutationFn: () => unwrap(api.users['access-changes'][':id'].confirm.$post({ param: { id: change.id } })),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('accessChanges.confirmed', { name: change.user.fullName }) });
      void client.invalidateQueries({ queryKey: ACCESS_CHANGES_KEY });
    },
  });
  const at = dateTime(change.changedAt);
  return (
    <Card withBorder radius="md" padding="md" data-testid="access-change">
      <Group justify="space-between" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Text fw={600}>{change.user.fullName}</Text>
          <Text size="sm" c="dimmed">{[change.user.position, change.user.username].filter(Boolean).join(' · ')}</Text>
        </div>
        {change.confirmedAt ? <Badge color="teal" variant="light">{t('accessChanges.isConfirmed')}</Badge>
          : change.before === null ? <Badge color="orange" variant="light">{t('accessChanges.new')}</Badge> : null}
      </Group>
      <Stack gap={6} mt="sm">
        {change.before && <StateLine label={t('accessChanges.before')} state={change.before} />}
        <StateLine label={t('accessChanges.after')} state={change.after} changedFrom={change.before} />
      </Stack>
      <Text size="xs" c="dimmed" mt="sm">{change.changedBy ? t('accessChanges.by', { name: change.changedBy, at }) : t('accessChanges.bySystem', { at })}</Text>
      {change.confirmedAt && <Text size="xs" c="teal.8">{t('accessChanges.confirmedBy', { name: change.confirmedBy ?? '', at: dateTime(change.confirmedAt) })}</Text>}
      {!change.confirmedAt && (change.canConfirm ? (
        <Group mt="sm">
          <Button size="xs" leftSection={<IconShieldCheck size={16} />} loading={confirm.isPending} onClick={() => confirm.mutate()}>{t('accessChanges.confirm')}</Button>
        </Group>
      ) : <Text size="xs" c="dimmed" mt={4}>{t('accessChanges.notYours')}</Text>)}
      {confirm.isError && <ErrorState error={confirm.error} />}
    </Card>
  );
}

/**
 * «Xác nhận tất cả (N)»: a dialog says how many and lists who and what changed, then confirms exactly those
 * in one request; those another leader confirmed meanwhile are skipped and said so.
 */
function ConfirmAll({ changes }: { changes: Change[] }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const [shown, setShown] = useState<Change[]>([]);
  const confirm = useMutation({
    mutationFn: (ids: string[]) => unwrap(api.users['access-changes'].confirm.$post({ json: { ids } })),
    onSuccess: ({ data }) => {
      notifications.show({ color: 'teal', message: [t('accessChanges.confirmAll.done', { count: data.confirmed.length }),
        data.skipped.length > 0 ? t('accessChanges.confirmAll.skipped', { names: shown.filter((ch) => data.skipped.includes(ch.id)).map((ch) => ch.user.fullName).join(', ') }) : ''].join(' ').trim() });
      setOpen(false);
      void client.invalidateQueries({ queryKey: ACCESS_CHANGES_KEY });
    },
  });
  const open = () => { setShown(changes); confirm.reset(); setOpen(true); };
  const count = shown.length;
  return (
    <>
      <Group>
        <Button leftSection={<IconShieldCheck size={18} />} onClick={open} data-testid="confirm-all">{t('accessChanges.confirmAll', { count: changes.length })}</Button>
      </Group>
      <Modal opened={isOpen} onClose={() => setOpen(false)} title={t('accessChanges.confirmAll.title', { count })} size="lg" centered>
        <Stack gap="md">
          <Text size="sm">{t('accessChanges.confirmAll.help', { count })}</Text>
          <ScrollArea.Autosize mah="50vh">
            <Stack gap="sm" data-testid="confirm-all-list">
              {shown.map((ch) => (
                <div key={ch.id}>
                  <Text size="sm" fw={600}>{ch.user.fullName}</Text>
                  {ch.before ? <StateLine label={t('accessChanges.before')} state={ch.before} /> : null}
                  <StateLine label={t(ch.before ? 'accessChanges.after' : 'accessChanges.new')} state={ch.after} changedFrom={ch.before} />
                </div>
              ))}
            </Stack>
          </ScrollArea.Autosize>
          {confirm.isError && <ErrorState error={confirm.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>{t('app.cancel')}</Button>
            <Button leftSection={<IconShieldCheck size={18} />} loading={confirm.isPending} onClick={() => confirm.mutate(shown.map((ch) => ch.id))}>
              {t('accessChanges.confirmAll', { count })}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** «Sau: Văn thư, Chuyên viên · Phòng Kinh tế · Được đăng nhập», what changed in bold. */
function StateLine({ label, state, changedFrom }: { label: string; state: State; changedFrom?: State | null }) {
  const { t } = useI18n();
  const roles = state.roles.map((r) => t(`role.${r}` as MessageKey)).join(', ');
  const isChanged = (part: 'roles' | 'unit' | 'active') => !!changedFrom && (part === 'roles' ? [...changedFrom.roles].sort().join() !== [...state.roles].sort().join()
    : part === 'unit' ? changedFrom.unitId !== state.unitId : changedFrom.isActive !== state.isActive);
  return (
    <Text size="sm">
      <Text span c="dimmed">{label}: </Text>
      <Text span fw={isChanged('roles') ? 700 : 400}>{roles}</Text>
      {' · '}<Text span fw={isChanged('unit') ? 700 : 400}>{state.unitName ?? t('accessChanges.noUnit')}</Text>
      {' · '}<Text span fw={isChanged('active') ? 700 : 400} c={state.isActive ? undefined : 'red.8'}>{t(state.isActive ? 'accessChanges.active' : 'accessChanges.locked')}</Text>
    </Text>
  );
}
