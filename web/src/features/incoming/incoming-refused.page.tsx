import { Alert, Anchor, Badge, Button, Card, CopyButton, EmptyState, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconShieldCheck from '@tabler/icons-react/dist/esm/icons/IconShieldCheck.mjs';
import IconRefresh from '@tabler/icons-react/dist/esm/icons/IconRefresh.mjs';
import IconMail from '@tabler/icons-react/dist/esm/icons/IconMail.mjs';
import IconCopy from '@tabler/icons-react/dist/esm/icons/IconCopy.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useSession } from '../../auth/session.ts';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { Field } from '../../ui/field.tsx';
import { incomingKeys } from './incoming-api.ts';
import { EXCHANGE_ALERTS_KEY } from '../outgoing/outgoing-routes.ts';

type Refused = InferResponseType<typeof api.exchange.refused.$get, 200>['data'][number];

/** The two refusal codes the connector writes; anything else (a malformed package) reads as "other". */
const KNOWN = ['exchange.package_unreadable', 'exchange.package_refused'] as const;
const kindOf = (code: string) => (KNOWN as readonly string[]).includes(code) ? code as (typeof KNOWN)[number] : 'other';
const KIND_COLOR = { 'exchange.package_unreadable': 'orange', 'exchange.package_refused': 'red', other: 'gray' } as const;

/**
 * Clerks, leaders and admins: the electronic documents the axis brought that the system refused
 * (forged, altered, sent to the wrong agency, or never fetched), each with its sender, time, reason,
 * attempts and what to do — ask the sender to send it again (mail or copied text), or, for a package
 * that could not be fetched, have it fetched again (clerk).
 */
export default function IncomingRefusedPage() {
  const { t } = useI18n();
  const refused = useQuery({ queryKey: [...incomingKeys.all, 'refused'], queryFn: () => unwrap(api.exchange.refused.$get()) });
  const rows = refused.data?.data ?? [];
  const canRefetch = !!refused.data?.can['exchange.operate'];
  return (
    <Stack gap="md" maw={960}>
      <PageHeader title={t('refused.title')} subtitle={t('refused.subtitle')} />
      {refused.isPending ? <LoadingState /> : refused.isError ? <ErrorState error={refused.error} onRetry={() => void refused.refetch()} /> : rows.length === 0 ? (
        <Card withBorder radius="md" py="xl"><EmptyState icon={<IconShieldCheck size={32} />} title={t('refused.empty')} description={t('refused.empty.help')} /></Card>
      ) : rows.map((r) => <RefusedCard key={r.id} r={r} canRefetch={canRefetch} />)}
    </Stack>
  );
}

function RefusedCard({ r, canRefetch }: { r: Refused; canRefetch: boolean }) {
  const { t, dateTime } = useI18n();
  const session = useSession();
  const queryClient = useQueryClient();
  const refetch = useMutation({
    mutationFn: () => unwrap(api.exchange.refused[':id'].refetch.$post({ param: { id: String(r.id) } })),
    onSuccess: () => {
      // The card leaves the list at once: the outcome is said where it stays visible.
      notifications.show({ color: 'teal', message: t('refused.refetch.done') });
      void queryClient.invalidateQueries({ queryKey: incomingKeys.all });
      void queryClient.invalidateQueries({ queryKey: EXCHANGE_ALERTS_KEY });
    },
  });
  const kind = kindOf(r.code);
  const sender = r.senderName ? `${r.senderName} (${r.senderCode})` : r.senderCode || t('refused.sender.unknown');
  const request = t('refused.request.body', {
    sender: r.senderName ?? (r.senderCode || t('refused.sender.unknown')), agency: session.data?.agency?.name ?? t('refused.request.yourAgency'),
    docId: r.axisDocId, at: dateTime(r.receivedAt), reason: r.message,
  });
  const mailto = r.senderMail ? `mailto:${r.senderMail}?subject=${encodeURIComponent(t('refused.request.subject'))}&body=${encodeURIComponent(request)}` : null;
  const confirmRefetch = () => {
    if (window.confirm(t('refused.refetch.confirm'))) refetch.mutate();
  };
  return (
    <Card withBorder radius="md" data-testid="refused-package">
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap">
          <Badge color={KIND_COLOR[kind]} variant="light" style={{ textTransform: 'none' }}>{t(`refused.kind.${kind}`)}</Badge>
          <Badge color="gray" variant="outline" style={{ textTransform: 'none' }}>{t(r.messageType === 'status' ? 'refused.type.status' : 'refused.type.edoc')}</Badge>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <Field label={t('refused.sender')} value={sender} />
          <Field label={t('refused.receivedAt')} value={dateTime(r.receivedAt)} />
          <Field label={t('refused.attempts')} value={String(r.attempts)} />
        </SimpleGrid>
        <Field label={t('refused.reason')} value={r.message} />
        <Alert variant="light" color={KIND_COLOR[kind]} title={t('refused.todo')} p="sm">
          <Text size="sm">{t(`refused.todo.${kind}`)}</Text>
        </Alert>
        {refetch.isError && <Alert color="red" variant="light" p="sm">{errorMessage(refetch.error, t)}</Alert>}
        <Group gap="xs" wrap="wrap">
          {r.canRefetch && canRefetch && (
            <Button leftSection={<IconRefresh size={16} />} onClick={confirmRefetch} loading={refetch.isPending}>{t('refused.refetch')}</Button>
          )}
          {mailto && <Button component="a" href={mailto} variant="default" leftSection={<IconMail size={16} />}>{t('refused.askResend')}</Button>}
          <CopyButton value={request}>
            {({ copied, copy }) => (
              <Button variant="default" color={copied ? 'teal' : undefined} leftSection={<IconCopy size={16} />} onClick={copy}>{copied ? t('refused.copied') : t('refused.copyRequest')}</Button>
            )}
          </CopyButton>
        </Group>
        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>{t('refused.axisDocId')}: <Anchor component="span" size="xs" c="dimmed">{r.axisDocId}</Anchor></Text>
      </Stack>
    </Card>
  );
}
