import { Anchor, Badge, Card, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { InferResponseType } from 'hono/client';
import IconCircleCheck from '@tabler/icons-react/dist/esm/icons/IconCircleCheck.mjs';
import IconCircleDashed from '@tabler/icons-react/dist/esm/icons/IconCircleDashed.mjs';
import { api, unwrap } from '../api/client.ts';
import { hasAnyRole, type SessionView } from '../auth/session.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { ADMIN_ROLES, PROVINCE_ROLES } from '../shell/nav.ts';

type Item = InferResponseType<(typeof api.orgs.agencies)[':id']['readiness']['$get'], 200>['data']['items'][number];

/** Where each step is done (the screen and its menu name); the trusted roots are the province admin's. */
const SCREEN: Record<Item['key'], { to: string; page: MessageKey; isProvinceOnly?: boolean }> = {
  agency_info: { to: '/admin/units', page: 'nav.units' },
  units: { to: '/admin/units', page: 'nav.units' },
  clerk: { to: '/admin/users', page: 'nav.users' },
  leader: { to: '/admin/users', page: 'nav.users' },
  seal_certificate: { to: '/admin/certificates', page: 'nav.certificates' },
  leader_certificate: { to: '/admin/certificates', page: 'nav.certificates' },
  trusted_roots: { to: '/admin/certificates', page: 'nav.certificates', isProvinceOnly: true },
  registers: { to: '/admin/registers', page: 'nav.registers' },
  records_plan: { to: '/records/plan', page: 'nav.recordsPlan' },
};

function ChecklistRow({ item, isProvinceAdmin }: { item: Item; isProvinceAdmin: boolean }) {
  const { t } = useI18n();
  const screen = SCREEN[item.key];
  const facts = item.facts ?? {};
  const label = t(`setup.${item.key}`, { year: String(facts.year ?? '') });
  return (
    <Group wrap="nowrap" align="flex-start" gap="sm" data-testid={`setup-${item.key}`} data-done={item.isDone}>
      <ThemeIcon size={28} radius="xl" variant="light" color={item.isDone ? 'teal' : 'gray'} style={{ flex: 'none' }}>
        {item.isDone ? <IconCircleCheck size={18} /> : <IconCircleDashed size={18} />}
      </ThemeIcon>
      <Stack gap={2} style={{ minWidth: 0 }}>
        <Group gap="xs">
          <Text size="sm" fw={600}>{label}</Text>
          <Badge size="sm" variant="light" color={item.isDone ? 'teal' : 'orange'}>{t(item.isDone ? 'setup.done' : 'setup.todo')}</Badge>
        </Group>
        {item.key === 'agency_info' && (
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {t('setup.agency_info.facts', { placeName: String(facts.placeName || t('setup.agency_info.empty')), governingName: String(facts.governingName ?? t('setup.agency_info.empty')) })}
          </Text>
        )}
        {!item.isDone && <Text size="xs" c="dimmed">{t(`setup.${item.key}.help`)}</Text>}
        {!item.isDone && (!screen.isProvinceOnly || isProvinceAdmin) && (
          <Anchor component={Link} to={screen.to} size="sm">{t('setup.open', { page: t(screen.page) })}</Anchor>
        )}
      </Stack>
    </Group>
  );
}

/**
 * The agency admin's home-page card «Chuẩn bị đưa vào sử dụng»: what the agency still lacks before its
 * first day (GET /api/orgs/agencies/:id/readiness), each step with the screen that does it; hidden once
 * every step is done, and for anyone but the agency's admins.
 */
export function SetupChecklist({ session }: { session: SessionView }) {
  const { t } = useI18n();
  const agencyId = session.agency?.id ?? '';
  const isShown = hasAnyRole(session.user, ADMIN_ROLES) && agencyId !== '';
  const readiness = useQuery({
    // always asked again on the home page: the admin comes back from the screen where a step was just done
    queryKey: ['orgs', 'readiness', agencyId], enabled: isShown, staleTime: 0,
    queryFn: () => unwrap(api.orgs.agencies[':id'].readiness.$get({ param: { id: agencyId } })),
  });
  const data = readiness.data?.data;
  if (!isShown || !data || data.isReady) return null;
  const done = data.items.filter((i) => i.isDone).length;
  const isProvinceAdmin = hasAnyRole(session.user, PROVINCE_ROLES);
  return (
    <Card withBorder radius="md" padding="lg" data-testid="setup-checklist">
      <Text fw={600}>{t('setup.title')}</Text>
      <Text size="sm" c="dimmed" mb="md">{t('setup.progress', { done, total: data.items.length })}</Text>
      <Stack gap="md">
        {data.items.map((item) => <ChecklistRow key={item.key} item={item} isProvinceAdmin={isProvinceAdmin} />)}
      </Stack>
    </Card>
  );
}
