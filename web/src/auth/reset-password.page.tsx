import { useState } from 'react';
import { Alert, Anchor, Button, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useSearchParams } from 'react-router';
import IconCircleCheck from '@tabler/icons-react/dist/esm/icons/IconCircleCheck.mjs';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import { api, unwrap } from '../api/client.ts';
import { applyServerError } from '../api/forms.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { PublicLayout } from '../ui/public-layout.tsx';
import { PASSWORD_ERROR_FIELDS, validateConfirm, validateNewPassword } from './password-rules.ts';

/** `/reset-password?token=…`, the link the server mails: sets a new password with the token. */
export default function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { newPassword: '', confirm: '' },
    validate: { newPassword: validateNewPassword(t), confirm: validateConfirm(t) },
  });
  const submit = async (values: { newPassword: string }) => {
    setError(null);
    try {
      await unwrap(api.auth['reset-password'].$post({ json: { token, newPassword: values.newPassword } }));
      setDone(true);
    } catch (e) {
      setError(applyServerError(form, e, t, PASSWORD_ERROR_FIELDS));
    }
  };
  if (!token) {
    return (
      <PublicLayout title={t('reset.title')}>
        <Stack>
          <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />}>{t('reset.noToken')}</Alert>
          <Anchor component={Link} to="/forgot-password" size="sm">{t('reset.requestNew')}</Anchor>
        </Stack>
      </PublicLayout>
    );
  }
  return (
    <PublicLayout title={t('reset.title')} subtitle={done ? undefined : t('reset.help')}>
      {done ? (
        <Stack>
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={20} />} role="status">{t('reset.done')}</Alert>
          <Button component={Link} to="/login">{t('login.submit')}</Button>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit(submit)} noValidate>
          <Stack>
            {error && (
              <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">
                <Text size="sm">{error}</Text>
                <Anchor component={Link} to="/forgot-password" size="sm">{t('reset.requestNew')}</Anchor>
              </Alert>
            )}
            <PasswordInput label={t('password.new')} description={t('password.rule')} autoComplete="new-password" data-autofocus withAsterisk {...form.getInputProps('newPassword')} />
            <PasswordInput label={t('password.confirm')} autoComplete="new-password" withAsterisk {...form.getInputProps('confirm')} />
            <Button type="submit" loading={form.submitting} fullWidth>{t('reset.submit')}</Button>
          </Stack>
        </form>
      )}
    </PublicLayout>
  );
}
