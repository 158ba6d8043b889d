import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Card, Checkbox, Group, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import { api, unwrap } from '../api/client.ts';
import { applyServerError } from '../api/forms.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Field } from '../ui/field.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';

const KEY = ['exchange', 'endpoint'] as const;

/**
 * The agency admin: the exchange axis this agency sends and receives through — its address, the system
 * id and the secret the axis issued (write-only: encrypted at rest, never shown back), on or off — and
 * how the connection is doing (last poll, last error).
 */
export default function ExchangeConnectionPage() {
  const { t, dateTime } = useI18n();
  const client = useQueryClient();
  const current = useQuery({ queryKey: KEY, queryFn: () => unwrap(api.exchange.endpoint.$get()) });
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { endpoint: '', systemId: '', secret: '', isEnabled: true },
    validate: {
      endpoint: (v) => (/^https?:\/\/\S+$/i.test(v.trim()) ? null : t('exchangeAdmin.endpoint.invalid')),
      systemId: (v) => (v.trim() ? null : t('app.required')),
      secret: (v) => (v.length >= 8 ? null : t('exchangeAdmin.secret.short')),
    },
  });
  const row = current.data?.data;
  useEffect(() => {
    if (!row) return;
    form.setValues({ endpoint: row.endpoint, systemId: row.systemId, isEnabled: row.isEnabled, secret: '' });
  }, [row?.updatedAt]); // the form object is stable; refill when the stored connection changes
  const submit = async (v: typeof form.values) => {
    setError(null);
    try {
      await unwrap(api.exchange.endpoint.$post({ json: { endpoint: v.endpoint.trim(), systemId: v.systemId.trim(), secret: v.secret, isEnabled: v.isEnabled } }));
      form.setFieldValue('secret', '');
      await client.invalidateQueries({ queryKey: KEY });
      notifications.show({ color: 'teal', message: t('exchangeAdmin.saved') });
    } catch (e) {
      setError(applyServerError(form, e, t, { 'exchange.bad_endpoint': 'endpoint', 'exchange.bad_secret': 'secret' }));
    }
  };
  if (current.isPending) return <LoadingState />;
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  return (
    <Stack gap="md" maw={760}>
      <PageHeader title={t('exchangeAdmin.title')} subtitle={t('exchangeAdmin.subtitle')} />
      <Card withBorder radius="md" data-testid="exchange-connection">
        <Text fw={600} mb="sm">{t('exchangeAdmin.current')}</Text>
        {row ? (
          <Stack gap="sm">
            <Group gap="xs"><Badge color={row.isEnabled ? 'teal' : 'gray'} variant="light">{t(row.isEnabled ? 'exchangeAdmin.state.on' : 'exchangeAdmin.state.off')}</Badge></Group>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
              <Field label={t('exchangeAdmin.endpoint')} value={row.endpoint} />
              <Field label={t('exchangeAdmin.systemId')} value={row.systemId} />
              <Field label={t('exchangeAdmin.lastPoll')} value={row.lastPollAt ? dateTime(row.lastPollAt) : t('exchangeAdmin.lastPoll.never')} />
            </SimpleGrid>
            {row.lastErrorMessage && <Alert color="red" variant="light" title={t('exchangeAdmin.lastError')} p="sm"><Text size="sm" style={{ overflowWrap: 'anywhere' }}>{row.lastErrorMessage}</Text></Alert>}
          </Stack>
        ) : <Text size="sm" c="dimmed">{t('exchangeAdmin.none')}</Text>}
      </Card>
      <Card withBorder radius="md">
        <form onSubmit={form.onSubmit(submit)} noValidate>
          <Stack>
            {error && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{error}</Alert>}
            <TextInput label={t('exchangeAdmin.endpoint')} description={t('exchangeAdmin.endpoint.help')} placeholder="https://truc.tinh.gov.vn/vxp" withAsterisk
              spellCheck={false} autoCapitalize="none" {...form.getInputProps('endpoint')} />
            <TextInput label={t('exchangeAdmin.systemId')} description={t('exchangeAdmin.systemId.help')} placeholder="000.00.01.H53" withAsterisk styles={{ input: { fontFamily: 'monospace' } }}
              spellCheck={false} {...form.getInputProps('systemId')} />
            <PasswordInput label={t('exchangeAdmin.secret')} description={t('exchangeAdmin.secret.help')} withAsterisk autoComplete="new-password" {...form.getInputProps('secret')} />
            <Checkbox label={t('exchangeAdmin.enabled')} {...form.getInputProps('isEnabled', { type: 'checkbox' })} />
            <Group><Button type="submit" loading={form.submitting}>{t('exchangeAdmin.save')}</Button></Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
