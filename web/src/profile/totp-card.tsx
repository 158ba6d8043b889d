import { useState } from 'react';
import { Alert, Badge, Button, Card, Code, Group, Image, PasswordInput, PinInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import { api, unwrap } from '../api/client.ts';
import { applyServerError, errorMessage } from '../api/forms.ts';
import { SESSION_KEY } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** Two-factor authentication: scan a QR code and confirm a code to turn it on; the password turns it off. */
export function TotpCard({ enabled }: { enabled: boolean }) {
  const { t } = useI18n();
  return (
    <Card withBorder radius="md" padding="lg">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('profile.totp')}</Text>
        <Badge variant="light" color={enabled ? 'teal' : 'gray'}>{enabled ? t('profile.totp.on') : t('profile.totp.off')}</Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="md">{t('profile.totp.help')}</Text>
      {enabled ? <DisableTotp /> : <EnableTotp />}
    </Card>
  );
}

function EnableTotp() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [code, setCode] = useState('');
  const setup = useMutation({ mutationFn: () => unwrap(api.auth.totp.setup.$post()) });
  const enable = useMutation({
    mutationFn: (value: string) => unwrap(api.auth.totp.enable.$post({ json: { code: value } })),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('profile.totp.enabled') });
      await client.invalidateQueries({ queryKey: SESSION_KEY });
    },
    onError: () => setCode(''),
  });
  const enrollment = setup.data?.data;
  if (!enrollment) {
    return (
      <Stack align="flex-start">
        {setup.isError && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />}>{errorMessage(setup.error, t)}</Alert>}
        <Button onClick={() => setup.mutate()} loading={setup.isPending}>{t('profile.totp.start')}</Button>
      </Stack>
    );
  }
  return (
    <Stack>
      <Text size="sm">{t('profile.totp.scan')}</Text>
      <Group align="flex-start" gap="lg">
        <Image src={enrollment.qrDataUrl} alt={t('profile.totp.qrAlt')} w={180} h={180} radius="sm" style={{ border: '1px solid var(--mantine-color-gray-3)' }} />
        <Stack gap={4} style={{ minWidth: 0, flex: '1 1 200px' }}>
          <Text size="xs" c="dimmed">{t('profile.totp.secret')}</Text>
          <Code style={{ wordBreak: 'break-all' }} data-testid="totp-secret">{enrollment.secret}</Code>
        </Stack>
      </Group>
      {enable.isError && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{errorMessage(enable.error, t)}</Alert>}
      <form onSubmit={(e) => { e.preventDefault(); if (code.length === 6) enable.mutate(code); }}>
        <Group gap="sm" align="center">
          <PinInput length={6} type="number" oneTimeCode value={code} onChange={setCode} aria-label={t('login.totp.code')} />
          <Button type="submit" loading={enable.isPending} disabled={code.length !== 6}>{t('profile.totp.confirm')}</Button>
        </Group>
      </form>
    </Stack>
  );
}

function DisableTotp() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '' }, validate: { password: (v) => (v ? null : t('app.required')) } });
  const submit = async ({ password }: { password: string }) => {
    setError(null);
    try {
      await unwrap(api.auth.totp.disable.$post({ json: { password } }));
      notifications.show({ color: 'teal', message: t('profile.totp.disabled') });
      await client.invalidateQueries({ queryKey: SESSION_KEY });
    } catch (e) {
      setError(applyServerError(form, e, t, { 'auth.wrong_password': 'password', 'auth.invalid_credentials': 'password' }));
    }
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack>
        {error && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{error}</Alert>}
        <PasswordInput label={t('password.current')} description={t('profile.totp.disable.help')} autoComplete="current-password" {...form.getInputProps('password')} />
        <Group justify="flex-end">
          <Button type="submit" color="crimson" variant="light" loading={form.submitting}>{t('profile.totp.disable')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
