import type { ReactNode } from 'react';
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import IconSitemap from '@tabler/icons-react/dist/esm/icons/IconSitemap.mjs';
import IconUsers from '@tabler/icons-react/dist/esm/icons/IconUsers.mjs';
import IconShieldCheck from '@tabler/icons-react/dist/esm/icons/IconShieldCheck.mjs';
import IconShieldExclamation from '@tabler/icons-react/dist/esm/icons/IconShieldExclamation.mjs';
import { api, unwrap } from '../api/client.ts';
import { hasAnyRole, rolesOf, useSession, type SessionView } from '../auth/session.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { hourInVietnam } from '../i18n/format.ts';
import { ADMIN_ROLES, ARCHIVE_ROLES } from '../shell/nav.ts';
import { WorkCounts } from '../ui/work-counts.tsx';
import { ErrorState } from '../ui/states.tsx';
import { OutgoingWorkCounts } from '../features/outgoing/outgoing-dashboard.tsx';
import { IncomingWorkCounts } from '../features/incoming/incoming-dashboard.tsx';
import { ExchangeAlerts } from '../features/outgoing/sending-alerts.tsx';
import { RecordsWorkCounts } from '../features/records/records-dashboard.tsx';
import { AccessChangesWorkCounts } from '../admin/access-changes-tile.tsx';
import { BackupAlert } from '../admin/backup-health.tsx';
import { SetupChecklist } from '../admin/setup-checklist.tsx';

const USERS_LIMIT = 500;

/** Morning from 4 h, afternoon from 11 h, evening from 18 h until 4 h (a clerk working past midnight is not greeted "good morning"). */
function greetingKey(hour: number): MessageKey {
  if (hour >= 4 && hour < 11) return 'dashboard.greeting.morning';
  if (hour >= 11 && hour < 18) return 'dashboard.greeting.afternoon';
  return 'dashboard.greeting.evening';
}

/**
 * The home page: greeting, what of the exchange needs a person, the user's incoming and outgoing work and
 * work files (each role the lists that are its work), failed archive renewals, for admins the agency's
 * size, then their place in the agency and account security.
 */
export default function DashboardPage() {
  const { t, date } = useI18n();
  const { data: session } = useSession();
  if (!session) return null;
  const isAdmin = hasAnyRole(session.user, ADMIN_ROLES);
  return (
    <Stack gap="xl" maw={1100}>
      <div>
        <Title order={2} fz={{ base: 22, sm: 28 }}>{t(greetingKey(hourInVietnam()), { name: session.user.fullName })}</Title>
        <Text c="dimmed" size="sm" mt={4}>{t('dashboard.today', { date: date(new Date()) })}</Text>
      </div>
      <ExchangeAlerts user={session.user} />
      <BackupAlert allowed={session.can} />
      <SetupChecklist session={session} />
      <IncomingWorkCounts user={session.user} />
      <OutgoingWorkCounts user={session.user} />
      <RecordsWorkCounts user={session.user} />
      <ArchiveWorkCounts user={session.user} />
      <AccessChangesWorkCounts user={session.user} />
      {/* the administrator's work is the agency's units and people: before their own profile, as the others' lists are */}
      {isAdmin && <AgencyStats />}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ProfileCard session={session} />
        <SecurityCard totpEnabled={session.user.totpEnabled} />
      </SimpleGrid>
    </Stack>
  );
}

/**
 * For the archivist and the administrators: kept documents whose timestamp renewal failed — they stop
 * being verifiable if nobody acts — while there is one, opening the archive page that lists them.
 */
function ArchiveWorkCounts({ user }: { user: SessionView['user'] }) {
  const { t } = useI18n();
  const isShown = hasAnyRole(user, ARCHIVE_ROLES);
  // the archive page's own query: opening it from the tile shows what was counted without another request
  const status = useQuery({ queryKey: ['archive'], enabled: isShown, queryFn: () => unwrap(api.archive.status.$get()) });
  if (!isShown) return null;
  return (
    <WorkCounts title={t('nav.archive')} tiles={[{
      key: 'failed', label: t('archive.failures'), to: '/admin/archive', testId: 'archive-count-failed', count: status.data?.data.counts.failed, isHiddenWhenEmpty: true,
    }]} />
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" gap="md" wrap="nowrap" py={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <Text size="sm" c="dimmed" style={{ flex: 'none' }}>{label}</Text>
      <div style={{ textAlign: 'right', minWidth: 0 }}>{children}</div>
    </Group>
  );
}

function ProfileCard({ session }: { session: SessionView }) {
  const { t } = useI18n();
  const { user, agency, unit } = session;
  return (
    <Card withBorder radius="md" padding="lg">
      <Text fw={600} mb="sm">{t('dashboard.me')}</Text>
      <Row label={t('dashboard.agency')}>
        <Text size="sm" fw={500}>{agency?.name ?? t('app.none')}</Text>
        {agency && <Text size="xs" c="dimmed" ff="monospace">{agency.code}</Text>}
      </Row>
      <Row label={t('dashboard.unit')}><Text size="sm">{unit?.name ?? t('app.none')}</Text></Row>
      <Row label={t('dashboard.position')}><Text size="sm">{user.position || t('app.none')}</Text></Row>
      <Group justify="space-between" align="flex-start" gap="md" wrap="nowrap" pt={8}>
        <Text size="sm" c="dimmed">{t('dashboard.roles')}</Text>
        <Group gap={6} justify="flex-end">
          {rolesOf(user).map((r) => <Badge key={r} variant="light" color={r.includes('admin') ? 'crimson' : 'navy'}>{t(`role.${r}`)}</Badge>)}
        </Group>
      </Group>
    </Card>
  );
}

function SecurityCard({ totpEnabled }: { totpEnabled: boolean }) {
  const { t } = useI18n();
  return (
    <Card withBorder radius="md" padding="lg">
      <Text fw={600} mb="sm">{t('dashboard.security')}</Text>
      <Group wrap="nowrap" align="flex-start">
        <ThemeIcon size={44} radius="md" variant="light" color={totpEnabled ? 'teal' : 'yellow'}>
          {totpEnabled ? <IconShieldCheck size={26} /> : <IconShieldExclamation size={26} />}
        </ThemeIcon>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{totpEnabled ? t('dashboard.totpOn') : t('dashboard.totpOff')}</Text>
          <Anchor component={Link} to="/profile" size="sm">{totpEnabled ? t('nav.profile') : t('dashboard.totpSetup')}</Anchor>
        </Stack>
      </Group>
    </Card>
  );
}

function AgencyStats() {
  const { t } = useI18n();
  const units = useQuery({ queryKey: ['units'], queryFn: () => unwrap(api.orgs.units.$get()) });
  const users = useQuery({
    queryKey: ['users', { limit: USERS_LIMIT }],
    queryFn: () => unwrap(api.users.$get({ query: { limit: String(USERS_LIMIT) } })),
  });
  const error = units.error ?? users.error;
  const userRows = users.data?.data ?? [];
  const userCount = userRows.length >= USERS_LIMIT ? `${USERS_LIMIT}+` : String(userRows.length);
  return (
    <section>
      <Text fw={600} mb="sm">{t('dashboard.admin')}</Text>
      {error ? <ErrorState error={error} onRetry={() => { void units.refetch(); void users.refetch(); }} /> : (
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="lg">
          <StatCard icon={<IconSitemap size={24} />} label={t('dashboard.unitsCount')} to="/admin/units"
            value={units.data ? String(units.data.data.length) : null} />
          <StatCard icon={<IconUsers size={24} />} label={t('dashboard.usersCount')} to="/admin/users"
            value={users.data ? userCount : null}
            hint={users.data ? t('dashboard.activeUsers', { count: userRows.filter((u) => u.isActive).length }) : undefined} />
        </SimpleGrid>
      )}
    </section>
  );
}

function StatCard({ icon, label, value, hint, to }: { icon: ReactNode; label: string; value: string | null; hint?: string; to: string }) {
  const { t } = useI18n();
  return (
    <Card withBorder radius="md" padding="lg">
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text size="sm" c="dimmed">{label}</Text>
          {value === null ? <Skeleton h={34} w={60} mt={4} /> : <Text fz={32} fw={700} lh={1.2} data-testid={`stat-${to.split('/').pop()}`}>{value}</Text>}
          {hint && <Text size="xs" c="dimmed">{hint}</Text>}
        </div>
        <ThemeIcon size={48} radius="md" variant="light">{icon}</ThemeIcon>
      </Group>
      <Button component={Link} to={to} variant="subtle" size="compact-sm" mt="sm" px={0} style={{ alignSelf: "flex-start" }}>{t('dashboard.manage')} →</Button>
    </Card>
  );
}
