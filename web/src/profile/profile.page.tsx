import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import IconLogout from '@tabler/icons-react/dist/esm/icons/IconLogout.mjs';
import { rolesOf, useLogout, useSession } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { LanguageSwitch } from '../ui/language-switch.tsx';
import { PageHeader } from '../ui/states.tsx';
import { ChangePasswordForm } from './change-password-form.tsx';
import { TotpCard } from './totp-card.tsx';

/** The user's own account: details, password, two-factor, language, and signing out everywhere. */
export default function ProfilePage() {
  const { t } = useI18n();
  const { data: session } = useSession();
  if (!session) return null;
  const { user, agency, unit } = session;
  const rows: [string, string][] = [
    [t('users.username'), user.username],
    [t('users.email'), user.email ?? t('app.none')],
    [t('dashboard.agency'), agency?.name ?? t('app.none')],
    [t('dashboard.unit'), unit?.name ?? t('app.none')],
    [t('dashboard.position'), user.position || t('app.none')],
  ];
  return (
    <Stack gap="lg" maw={1100}>
      <PageHeader title={t('profile.title')} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="lg">
          <Card withBorder radius="md" padding="lg">
            <Text fw={600} mb="sm">{user.fullName}</Text>
            {rows.map(([label, value]) => (
              <Group key={label} justify="space-between" wrap="nowrap" py={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                <Text size="sm" c="dimmed">{label}</Text>
                <Text size="sm" ta="right" style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{value}</Text>
              </Group>
            ))}
            <Group gap={6} mt="sm">{rolesOf(user).map((r) => <Badge key={r} variant="light">{t(`role.${r}`)}</Badge>)}</Group>
          </Card>
          <Card withBorder radius="md" padding="lg">
            <Text fw={600} mb="md">{t('profile.changePassword')}</Text>
            <ChangePasswordForm />
          </Card>
        </Stack>
        <Stack gap="lg">
          <TotpCard enabled={user.totpEnabled} />
          <Card withBorder radius="md" padding="lg">
            <Text fw={600} mb="sm">{t('profile.language')}</Text>
            <LanguageSwitch size="sm" />
          </Card>
          <SessionsCard />
        </Stack>
      </SimpleGrid>
    </Stack>
  );
}

function SessionsCard() {
  const { t } = useI18n();
  const logout = useLogout();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const signOutEverywhere = async () => {
    setBusy(true);
    await logout(true).catch(() => undefined);
    navigate('/login', { replace: true });
  };
  return (
    <Card withBorder radius="md" padding="lg">
      <Text fw={600} mb="xs">{t('profile.sessions')}</Text>
      <Text size="sm" c="dimmed" mb="md">{t('profile.sessions.help')}</Text>
      <Button variant="light" color="crimson" leftSection={<IconLogout size={18} />} onClick={() => setConfirming(true)}>{t('profile.logoutEverywhere')}</Button>
      <Modal opened={confirming} onClose={() => setConfirming(false)} centered title={<Text fw={600}>{t('profile.logoutEverywhere')}</Text>}>
        <Stack>
          <Text size="sm">{t('profile.logoutEverywhere.confirm')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>{t('app.cancel')}</Button>
            <Button color="crimson" loading={busy} onClick={() => void signOutEverywhere()}>{t('profile.logoutEverywhere')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
