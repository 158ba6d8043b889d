import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Group, PasswordInput, PinInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import IconShieldLock from '@tabler/icons-react/dist/esm/icons/IconShieldLock.mjs';
import { api, isApiError, unwrap } from '../api/client.ts';
import { applyServerError } from '../api/forms.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { PublicLayout } from '../ui/public-layout.tsx';
import { DemoAccounts } from './demo-accounts.tsx';
import { useSession, useStoreSession } from './session.ts';
import { preloadRoute } from '../shell/preload.ts';

/** Where to go after signing in: the `next` parameter when it is a path inside the app, else the dashboard. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

/**
 * The sign-in page: username or email and password, then the 6-digit code when two-factor is on. The form
 * shows while the server is asked whether a session exists (a round trip, 0.1–0.4 s on a mobile network,
 * that nearly always answers «no»); one that does sends the person on.
 */
export default function LoginPage() {
  const { t } = useI18n();
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (session.data) return <Navigate to={next} replace />;
  return <LoginForm next={next} t={t} />;
}

function LoginForm({ next, t }: { next: string; t: ReturnType<typeof useI18n>['t'] }) {
  const navigate = useNavigate();
  const storeSession = useStoreSession();
  const [error, setError] = useState<string | null>(null);
  const [needsCode, setNeedsCode] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  // While the person types (seconds on a phone), the signed-in frame and the page they will land on come down.
  useEffect(() => preloadRoute(next), [next]);
  const form = useForm({
    initialValues: { login: '', password: '' },
    validate: { login: (v) => (v.trim() ? null : t('app.required')), password: (v) => (v ? null : t('app.required')) },
  });

  const submit = async (totp?: string) => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await unwrap(api.auth.login.$post({ json: { ...form.getValues(), ...(totp && { totp }) } }));
      storeSession(data);
      navigate(next, { replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'auth.totp_required') {
        setNeedsCode(true);
      } else {
        if (isApiError(e) && e.code === 'auth.totp_invalid') setCode('');
        setError(applyServerError(form, e, t));
      }
    } finally {
      setBusy(false);
    }
  };

  const errorAlert = error && (
    <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{error}</Alert>
  );

  if (needsCode) {
    return (
      <PublicLayout title={t('login.totp.title')} subtitle={t('login.totp.help')}>
        <form onSubmit={(e) => { e.preventDefault(); if (code.length === 6) void submit(code); }}>
          <Stack>
            {errorAlert}
            <Group justify="center" gap="xs">
              <IconShieldLock size={28} color="var(--mantine-color-navy-8)" />
              <PinInput length={6} type="number" oneTimeCode autoFocus value={code} onChange={setCode}
                onComplete={(v) => void submit(v)} aria-label={t('login.totp.code')} size="md" />
            </Group>
            <Button type="submit" loading={busy} disabled={code.length !== 6} fullWidth>{t('login.totp.submit')}</Button>
            <Anchor component="button" type="button" size="sm" onClick={() => { setNeedsCode(false); setCode(''); setError(null); }}>
              {t('login.totp.back')}
            </Anchor>
          </Stack>
        </form>
      </PublicLayout>
    );
  }

  return (
    <PublicLayout title={t('login.title')} below={<DemoAccounts onPick={(login, password) => form.setValues({ login, password })} />}>
      <form onSubmit={form.onSubmit(() => void submit())} noValidate>
        <Stack>
          {errorAlert}
          <TextInput label={t('login.login')} autoComplete="username" autoCapitalize="none" spellCheck={false}
            data-autofocus withAsterisk {...form.getInputProps('login')} />
          <PasswordInput label={t('login.password')} autoComplete="current-password" withAsterisk {...form.getInputProps('password')} />
          <Group justify="flex-end">
            <Anchor component={Link} to="/forgot-password" size="sm">{t('login.forgot')}</Anchor>
          </Group>
          <Button type="submit" loading={busy} fullWidth size="md">{t('login.submit')}</Button>
          <Anchor component={Link} to="/kiem-tra-chu-ky" size="sm" ta="center">{t('check.link')}</Anchor>
        </Stack>
      </form>
    </PublicLayout>
  );
}
