import { useState } from 'react';
import { ActionIcon, Badge, Button, Card, EmptyState, Group, Menu, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import IconDots from '@tabler/icons-react/dist/esm/icons/IconDots.mjs';
import IconPencil from '@tabler/icons-react/dist/esm/icons/IconPencil.mjs';
import IconTrash from '@tabler/icons-react/dist/esm/icons/IconTrash.mjs';
import IconSitemap from '@tabler/icons-react/dist/esm/icons/IconSitemap.mjs';
import IconSubtask from '@tabler/icons-react/dist/esm/icons/IconSubtask.mjs';
import IconBuilding from '@tabler/icons-react/dist/esm/icons/IconBuilding.mjs';
import { api, unwrap } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { buildTree, type TreeNode } from './tree.ts';
import { DeleteUnitModal, UnitFormModal, type UnitFormTarget } from './unit-modals.tsx';
import { AgencyFormModal, type AgencyFormTarget } from './agency-modal.tsx';
import { useSession } from '../auth/session.ts';

export type Unit = InferResponseType<typeof api.orgs.units.$get, 200>['data'][number];

/** The query of the agency's units (also used by the users page and the dashboard). */
export const unitsQuery = { queryKey: ['units'], queryFn: () => unwrap(api.orgs.units.$get()) } as const;

/** Agency admins: the unit tree; create, rename, move, and delete an empty unit; the agency's own details (names, địa danh, contacts). */
export default function UnitsPage() {
  const { t } = useI18n();
  const units = useQuery(unitsQuery);
  const { data: session } = useSession();
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: () => unwrap(api.orgs.agencies.$get()) });
  const ownAgency = agencies.data?.data.find((a) => a.id === session?.agency?.id);
  const [agencyForm, setAgencyForm] = useState<AgencyFormTarget | null>(null);
  const members = useQuery({ queryKey: ['users', { limit: 500 }], queryFn: () => unwrap(api.users.$get({ query: { limit: '500' } })) });
  const [form, setForm] = useState<UnitFormTarget | null>(null);
  const [deleting, setDeleting] = useState<Unit | null>(null);
  const all = units.data?.data ?? [];
  const counts = new Map<string, number>();
  for (const u of members.data?.data ?? []) if (u.unitId) counts.set(u.unitId, (counts.get(u.unitId) ?? 0) + 1);

  const renderNode = (node: TreeNode<Unit>, depth: number) => (
    <div key={node.item.id}>
      <Group justify="space-between" wrap="nowrap" py="sm" pr="xs" pl={12 + depth * 24}
        style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }} data-testid="unit-row">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          {depth > 0 ? <IconSubtask size={18} color="var(--mantine-color-gray-5)" /> : <IconSitemap size={18} color="var(--mantine-color-navy-6)" />}
          <div style={{ minWidth: 0 }}>
            <Group gap={6} wrap="nowrap">
              <Text fw={500} truncate>{node.item.name}</Text>
              {node.item.shortName && <Badge variant="light" color="gray" size="sm" style={{ flex: 'none' }}>{node.item.shortName}</Badge>}
            </Group>
            <Text size="xs" c="dimmed">{t('units.members', { count: counts.get(node.item.id) ?? 0 })}</Text>
          </div>
        </Group>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={`${t('app.actions')}: ${node.item.name}`}><IconDots size={18} /></ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setForm({ unit: node.item })}>{t('app.edit')}</Menu.Item>
            <Menu.Item leftSection={<IconPlus size={16} />} onClick={() => setForm({ parentId: node.item.id })}>{t('units.createChild')}</Menu.Item>
            <Menu.Divider />
            <Menu.Item color="crimson" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(node.item)}>{t('app.delete')}</Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      {node.children.map((c) => renderNode(c, depth + 1))}
    </div>
  );

  return (
    <Stack gap={0} maw={960}>
      <PageHeader title={t('units.title')} subtitle={t('units.subtitle')}
        actions={(
          <Group gap="xs">
            {/* the agency's own name, short name (ký hiệu) and địa danh (the date line of every document it issues) */}
            {ownAgency && <Button variant="default" leftSection={<IconBuilding size={18} />} onClick={() => setAgencyForm({ agency: ownAgency })}>{t('units.agency')}</Button>}
            <Button leftSection={<IconPlus size={18} />} onClick={() => setForm({ parentId: null })}>{t('units.create')}</Button>
          </Group>
        )} />
      {units.isPending ? <LoadingState /> : units.isError ? <ErrorState error={units.error} onRetry={() => void units.refetch()} /> : all.length === 0 ? (
        <Card withBorder radius="md" py="xl">
          <EmptyState icon={<IconSitemap size={32} />} title={t('units.empty')} description={t('units.empty.help')}>
            <Button mt="sm" onClick={() => setForm({ parentId: null })}>{t('units.create')}</Button>
          </EmptyState>
        </Card>
      ) : (
        <Card withBorder radius="md" p={0}>{buildTree(all).map((n) => renderNode(n, 0))}</Card>
      )}
      <UnitFormModal target={form} units={all} onClose={() => setForm(null)} />
      <DeleteUnitModal unit={deleting} onClose={() => setDeleting(null)} />
      <AgencyFormModal target={agencyForm} agencies={[]} onClose={() => setAgencyForm(null)} />
    </Stack>
  );
}
