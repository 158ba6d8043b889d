import { useState } from 'react';
import { ActionIcon, Anchor, Badge, Button, Card, EmptyState, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import IconPencil from '@tabler/icons-react/dist/esm/icons/IconPencil.mjs';
import IconUserPlus from '@tabler/icons-react/dist/esm/icons/IconUserPlus.mjs';
import IconBuildingCommunity from '@tabler/icons-react/dist/esm/icons/IconBuildingCommunity.mjs';
import { api, unwrap } from '../api/client.ts';
import { useSession } from '../auth/session.ts';
import { hasKey, useI18n } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { buildTree, type TreeNode } from './tree.ts';
import { AgencyFormModal, type AgencyFormTarget } from './agency-modal.tsx';
import { AgencyAdminModal } from './agency-admin-modal.tsx';

export type Agency = InferResponseType<typeof api.orgs.agencies.$get, 200>['data'][number];

/** Province admins: the tree of their agencies; add a subordinate agency, edit names and contacts, give an agency its administrator. */
export default function AgenciesPage() {
  const { t } = useI18n();
  const { data: session } = useSession();
  const agencies = useQuery({ queryKey: ['agencies'], queryFn: () => unwrap(api.orgs.agencies.$get()) });
  const [form, setForm] = useState<AgencyFormTarget | null>(null);
  const [adminOf, setAdminOf] = useState<Agency | null>(null);
  const all = agencies.data?.data ?? [];
  const ownId = session?.agency?.id;

  const renderNode = (node: TreeNode<Agency>, depth: number) => {
    const a = node.item;
    const levelKey = `agencies.level.${a.level}`;
    const contacts = [a.address, a.phone, a.email].filter(Boolean).join(' · ');
    return (
      <div key={a.id}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" py="md" pr="sm" pl={16 + depth * 28}
          style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }} data-testid="agency-row">
          <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
            <IconBuildingCommunity size={20} color={depth === 0 ? 'var(--mantine-color-crimson-7)' : 'var(--mantine-color-navy-6)'} style={{ flex: 'none', marginTop: 2 }} />
            <div style={{ minWidth: 0 }}>
              <Group gap={6}>
                <Text fw={600}>{a.name}</Text>
                {a.id === ownId && <Badge size="xs" variant="outline" color="crimson">{t('agencies.yours')}</Badge>}
              </Group>
              <Group gap="xs" mt={2}>
                <Text size="xs" ff="monospace" c="navy.8">{a.code}</Text>
                <Badge size="xs" variant="light" color="gray">{a.shortName}</Badge>
                <Text size="xs" c="dimmed">{hasKey(levelKey) ? t(levelKey) : a.level}</Text>
              </Group>
              {contacts && <Text size="xs" c="dimmed" mt={2}>{contacts}</Text>}
              {a.website && <Anchor size="xs" href={a.website} target="_blank" rel="noreferrer">{a.website}</Anchor>}
            </div>
          </Group>
          <Group gap={4} wrap="nowrap">
            <Tooltip label={t('agencies.create')}>
              <ActionIcon variant="subtle" color="gray" aria-label={`${t('agencies.create')}: ${a.name}`} onClick={() => setForm({ parentId: a.id })}><IconPlus size={18} /></ActionIcon>
            </Tooltip>
            {a.id !== ownId && (
              <Tooltip label={t('agencyAdmin.create')}>
                <ActionIcon variant="subtle" color="gray" aria-label={`${t('agencyAdmin.create')}: ${a.name}`} onClick={() => setAdminOf(a)}><IconUserPlus size={18} /></ActionIcon>
              </Tooltip>
            )}
            <Tooltip label={t('agencies.edit')}>
              <ActionIcon variant="subtle" color="gray" aria-label={`${t('agencies.edit')}: ${a.name}`} onClick={() => setForm({ agency: a })}><IconPencil size={18} /></ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        {node.children.map((c) => renderNode(c, depth + 1))}
      </div>
    );
  };

  return (
    <Stack gap={0} maw={1000}>
      <PageHeader title={t('agencies.title')} subtitle={t('agencies.subtitle')}
        actions={<Button leftSection={<IconPlus size={18} />} onClick={() => setForm({ parentId: ownId ?? null })}>{t('agencies.create')}</Button>} />
      {agencies.isPending ? <LoadingState /> : agencies.isError ? <ErrorState error={agencies.error} onRetry={() => void agencies.refetch()} /> : all.length === 0 ? (
        <Card withBorder radius="md" py="xl"><EmptyState icon={<IconBuildingCommunity size={32} />} title={t('agencies.empty')} /></Card>
      ) : (
        <Card withBorder radius="md" p={0}>{buildTree(all).map((n) => renderNode(n, 0))}</Card>
      )}
      <AgencyFormModal target={form} agencies={all} onClose={() => setForm(null)} />
      <AgencyAdminModal agency={adminOf} onClose={() => setAdminOf(null)} />
    </Stack>
  );
}
