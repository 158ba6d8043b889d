import { useState } from 'react';
import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import { api, unwrap } from '../api/client.ts';
import { applyServerError } from '../api/forms.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { PASSWORD_ERROR_FIELDS, validateConfirm, validateNewPassword } from '../auth/password-rules.ts';
import { SESSION_KEY } from '../auth/session.ts';

/** Changes the signed-in user's password (other sessions end); then refreshes the session view. */
export function ChangePasswordForm({ submitLabel, fullWidth = false }: { submitLabel?: string; fullWidth?: boolean }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('app.required')),
      newPassword: validateNewPassword(t),
      confirm: validateConfirm(t),
    },
  });
  const submit = async ({ currentPassword, newPassword }: typeof form.values) => {
    setError(null);
    try {
      await unwrap(api.auth['change-password'].$post({ json: { currentPassword, newPassword } }));
      form.reset();
      notifications.show({ color: 'teal', message: t('profile.passwordChanged') });
      await client.invalidateQueries({ queryKey: SESSION_KEY });
    } catch (e) {
      setError(applyServerError(form, e, t, PASSWORD_ERROR_FIELDS));
    }
  };
  return (
    <form onSubmit={form.onSubmit(submit)} noValidate>
      <Stack>
        {error && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{error}</Alert>}
        <PasswordInput label={t('password.current')} autoComplete="current-password" withAsterisk {...form.getInputProps('currentPassword')} />
        <PasswordInput label={t('password.new')} description={t('password.rule')} autoComplete="new-password" withAsterisk {...form.getInputProps('newPassword')} />
        <PasswordInput label={t('password.confirm')} autoComplete="new-password" withAsterisk {...form.getInputProps('confirm')} />
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} fullWidth={fullWidth}>{submitLabel ?? t('profile.changePassword')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
