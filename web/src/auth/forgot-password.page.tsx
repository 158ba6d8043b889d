import { useState } from 'react';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link } from 'react-router';
import IconMailCheck from '@tabler/icons-react/dist/esm/icons/IconMailCheck.mjs';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import { api, unwrap } from '../api/client.ts';
import { applyServerError } from '../api/forms.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { PublicLayout } from '../ui/public-layout.tsx';

/** Asks for a reset link; the answer never tells whether the account exists. */
export default function ForgotPasswordPage() {
  const { t } = useI18n();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { login: '' }, validate: { login: (v) => (v.trim() ? null : t('app.required')) } });
  const submit = async (values: { login: string }) => {
    setError(null);
    try {
      await unwrap(api.auth['forgot-password'].$post({ json: values }));
      setSent(true);
    } catch (e) {
      setError(applyServerError(form, e, t));
    }
  };
  return (
    <PublicLayout title={t('forgot.title')} subtitle={sent ? undefined : t('forgot.help')}>
      {sent ? (
        <Stack>
          <Alert color="teal" variant="light" icon={<IconMailCheck size={20} />} role="status">{t('forgot.sent')}</Alert>
          <Anchor component={Link} to="/login" size="sm">{t('forgot.back')}</Anchor>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit(submit)} noValidate>
          <Stack>
            {error && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{error}</Alert>}
            <TextInput label={t('login.login')} autoComplete="username" autoCapitalize="none" data-autofocus withAsterisk {...form.getInputProps('login')} />
            <Button type="submit" loading={form.submitting} fullWidth>{t('forgot.submit')}</Button>
            <Anchor component={Link} to="/login" size="sm" ta="center">{t('forgot.back')}</Anchor>
          </Stack>
        </form>
      )}
    </PublicLayout>
  );
}
