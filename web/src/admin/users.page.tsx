import { useState } from 'react';
import { ActionIcon, Badge, Button, Card, EmptyState, Group, Menu, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import IconDots from '@tabler/icons-react/dist/esm/icons/IconDots.mjs';
import IconPencil from '@tabler/icons-react/dist/esm/icons/IconPencil.mjs';
import IconKey from '@tabler/icons-react/dist/esm/icons/IconKey.mjs';
import IconLock from '@tabler/icons-react/dist/esm/icons/IconLock.mjs';
import IconLockOpen from '@tabler/icons-react/dist/esm/icons/IconLockOpen.mjs';
import IconUsers from '@tabler/icons-react/dist/esm/icons/IconUsers.mjs';
import { api, unwrap } from '../api/client.ts';
import { rolesOf, useSession } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { treeOptions } from './tree.ts';
import { unitsQuery } from './units.page.tsx';
import { ResetPasswordModal, SetActiveModal, UserFormModal, type UserFormTarget } from './user-modals.tsx';

export type User = InferResponseType<typeof api.users.$get, 200>['data'][number];

const PAGE = 50;

/** Agency admins: the user directory with search and unit filter; create, edit, deactivate, reset password. */
export default function UsersPage() {
  const { t } = useI18n();
  const { data: session } = useSession();
  const [search, setSearch] = useState('');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const units = useQuery(unitsQuery);
  const users = useInfiniteQuery({
    queryKey: ['users', 'list', { search: debounced, unitId }],
    initialPageParam: 0,
    queryFn: ({ pageParam }) => unwrap(api.users.$get({ query: {
      limit: String(PAGE), offset: String(pageParam), ...(debounced && { search: debounced }), ...(unitId && { unitId }),
    } })),
    getNextPageParam: (last, pages) => (last.data.length === PAGE ? pages.length * PAGE : undefined),
  });
  const [form, setForm] = useState<UserFormTarget | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [toggling, setToggling] = useState<User | null>(null);
  const rows = users.data?.pages.flatMap((p) => p.data) ?? [];
  const unitOptions = treeOptions(units.data?.data ?? []);

  const actions = (u: User) => (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`${t('app.actions')}: ${u.fullName}`}><IconDots size={18} /></ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setForm({ user: u })}>{t('app.edit')}</Menu.Item>
        <Menu.Item leftSection={<IconKey size={16} />} onClick={() => setResetting(u)}>{t('users.resetPassword')}</Menu.Item>
        {u.id !== session?.user.id && (
          <Menu.Item color={u.isActive ? 'crimson' : 'teal'} leftSection={u.isActive ? <IconLock size={16} /> : <IconLockOpen size={16} />}
            onClick={() => setToggling(u)}>{u.isActive ? t('users.deactivate') : t('users.activate')}</Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
  const status = (u: User) => (
    <Group gap={4}>
      <Badge variant="light" color={u.isActive ? 'teal' : 'gray'}>{u.isActive ? t('users.active') : t('users.inactive')}</Badge>
      {u.mustChangePassword && <Badge variant="light" color="yellow">{t('users.mustChange')}</Badge>}
      {u.totpEnabled && <Badge variant="light" color="navy">{t('users.totp')}</Badge>}
    </Group>
  );
  // a leader belongs to no unit: their position alone («Chủ tịch»), not «— · Chủ tịch»
  const placeOf = (u: User) => [u.unitName, u.position].filter(Boolean).join(' · ') || t('app.none');
  const roles = (u: User) => rolesOf(u).map((r) => t(`role.${r}`)).join(', ');
  const name = (u: User) => (
    <div style={{ minWidth: 0 }}>
      <Group gap={6} wrap="nowrap">
        <Text fw={500} size="sm" truncate>{u.fullName}</Text>
        {u.id === session?.user.id && <Badge size="xs" variant="outline">{t('users.you')}</Badge>}
      </Group>
      <Text size="xs" c="dimmed" truncate>{u.username}{u.email ? ` · ${u.email}` : ''}</Text>
    </div>
  );

  return (
    <Stack gap={0}>
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle')}
        actions={<Button leftSection={<IconPlus size={18} />} onClick={() => setForm({ unitId })}>{t('users.create')}</Button>} />
      <Group mb="md" gap="sm" align="flex-end">
        <TextInput leftSection={<IconSearch size={16} />} placeholder={t('users.search')} aria-label={t('users.search')}
          value={search} onChange={(e) => setSearch(e.currentTarget.value)} style={{ flex: '1 1 260px' }} />
        <Select placeholder={t('users.allUnits')} aria-label={t('users.unitFilter')} data={unitOptions} value={unitId} onChange={setUnitId}
          clearable searchable style={{ flex: '1 1 220px' }} maw={{ sm: 320 }} />
      </Group>
      {users.isPending ? <LoadingState /> : users.isError ? <ErrorState error={users.error} onRetry={() => void users.refetch()} /> : rows.length === 0 ? (
        <Card withBorder radius="md" py="xl">
          <EmptyState icon={<IconUsers size={32} />} title={t('users.empty')} description={t('users.empty.help')} />
        </Card>
      ) : (
        <>
          <Card withBorder radius="md" p={0} visibleFrom="md">
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.fullName')}</Table.Th><Table.Th>{t('users.unit')}</Table.Th><Table.Th>{t('users.roles')}</Table.Th>
                  <Table.Th>{t('users.status')}</Table.Th><Table.Th>{t('users.lastLogin')}</Table.Th><Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((u) => (
                  <Table.Tr key={u.id} data-testid="user-row">
                    <Table.Td maw={280}>{name(u)}</Table.Td>
                    <Table.Td>
                      {(u.unitName || !u.position) && <Text size="sm">{u.unitName ?? t('app.none')}</Text>}
                      <Text size="xs" c="dimmed">{u.position}</Text>
                    </Table.Td>
                    <Table.Td><Text size="sm">{roles(u)}</Text></Table.Td>
                    <Table.Td>{status(u)}</Table.Td>
                    <Table.Td><LastLogin at={u.lastLoginAt} /></Table.Td>
                    <Table.Td>{actions(u)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Stack gap="sm" hiddenFrom="md">
            {rows.map((u) => (
              <Card key={u.id} withBorder radius="md" padding="md">
                <Group justify="space-between" wrap="nowrap" align="flex-start">{name(u)}{actions(u)}</Group>
                <Text size="sm" mt={6}>{placeOf(u)}</Text>
                <Text size="xs" c="dimmed" mb={6}>{roles(u)}</Text>
                {status(u)}
              </Card>
            ))}
          </Stack>
          <Group justify="space-between" mt="md">
            <Text size="sm" c="dimmed">{t('users.count', { count: rows.length })}</Text>
            {users.hasNextPage && <Button variant="default" loading={users.isFetchingNextPage} onClick={() => void users.fetchNextPage()}>{t('app.loadMore')}</Button>}
          </Group>
        </>
      )}
      <UserFormModal target={form} unitOptions={unitOptions} onClose={() => setForm(null)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <SetActiveModal user={toggling} onClose={() => setToggling(null)} />
    </Stack>
  );
}

function LastLogin({ at }: { at: string | null }) {
  const { t, dateTime } = useI18n();
  return <Text size="sm" c={at ? undefined : 'dimmed'}>{at ? dateTime(at) : t('users.never')}</Text>;
}
