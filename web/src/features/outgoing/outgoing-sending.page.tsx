import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Anchor, Badge, Button, Card, EmptyState, Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconSend from '@tabler/icons-react/dist/esm/icons/IconSend.mjs';
import IconRefresh from '@tabler/icons-react/dist/esm/icons/IconRefresh.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { outgoingKeys } from './outgoing-api.ts';
import { EXCHANGE_ALERTS_KEY } from './outgoing-routes.ts';
import { Field } from '../../ui/field.tsx';

type Outbox = InferResponseType<typeof api.exchange.outbox.$get, 200>;
type Package = Outbox['data'][number];
type Filter = 'failed' | 'pending' | 'sent' | 'all';

const PAGE = 50;
const FILTERS: Filter[] = ['failed', 'pending', 'sent', 'all'];
const STATUS_COLOR: Record<string, string> = { failed: 'red', pending: 'yellow', sent: 'teal' };
const sendingKeys = { all: ['exchange', 'outbox'] as const };

/**
 * Clerks, leaders and admins: the packages the agency sends through the exchange axis (documents,
 * recalls, updates, replacements, handling statuses), failed ones first, each with its document,
 * recipient, attempts and last error in words; a clerk sends a failed one again.
 */
export default function OutgoingSendingPage() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>('failed');
  const outbox = useInfiniteQuery({
    queryKey: [...sendingKeys.all, filter],
    initialPageParam: 0,
    queryFn: ({ pageParam }) => unwrap(api.exchange.outbox.$get({ query: {
      limit: String(PAGE), offset: String(pageParam), ...(filter !== 'all' && { status: filter }),
    } })),
    getNextPageParam: (last, pages) => (last.data.length === PAGE ? pages.length * PAGE : undefined),
  });
  const rows = outbox.data?.pages.flatMap((p) => p.data) ?? [];
  const canRetry = !!outbox.data?.pages[0]?.can['exchange.operate'];
  return (
    <Stack gap="md" maw={960}>
      <PageHeader title={t('sending.title')} subtitle={t('sending.subtitle')} />
      <SegmentedControl value={filter} onChange={(v) => setFilter(v as Filter)} data={FILTERS.map((f) => ({ value: f, label: t(`sending.filter.${f}`) }))}
        fullWidth maw={560} data-testid="sending-filter" />
      {outbox.isPending ? <LoadingState /> : outbox.isError ? <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} /> : rows.length === 0 ? (
        <Card withBorder radius="md" py="xl">
          <EmptyState icon={<IconSend size={32} />} title={t(filter === 'failed' ? 'sending.empty.failed' : 'sending.empty.other')}
            description={t(filter === 'failed' ? 'sending.empty.failed.help' : 'sending.empty.other.help')} />
        </Card>
      ) : (
        <>
          {rows.map((p) => <PackageCard key={p.id} p={p} canRetry={canRetry} />)}
          {outbox.hasNextPage && (
            <Group justify="center">
              <Button variant="default" loading={outbox.isFetchingNextPage} onClick={() => void outbox.fetchNextPage()}>{t('app.loadMore')}</Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function PackageCard({ p, canRetry }: { p: Package; canRetry: boolean }) {
  const { t, dateTime } = useI18n();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => unwrap(api.exchange.outbox[':id'].retry.$post({ param: { id: p.id } })),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('sending.retry.done') });
      void queryClient.invalidateQueries({ queryKey: sendingKeys.all });
      void queryClient.invalidateQueries({ queryKey: EXCHANGE_ALERTS_KEY });
      // the document's page shows how its recipient's package stands
      if (p.document.kind === 'outgoing' && p.document.id) void queryClient.invalidateQueries({ queryKey: outgoingKeys.detail(p.document.id) });
    },
  });
  const kind = p.packageKind === 'status'
    ? t('sending.kind.status', { code: p.statusCode ?? '', label: p.statusLabel ?? '' })
    : t(`sending.kind.${p.businessDocType === 1 || p.businessDocType === 2 || p.businessDocType === 3 ? p.businessDocType : 0}`);
  const documentLabel = [p.document.code, p.document.subject].filter(Boolean).join(' — ') || t('sending.document.none');
  const recipient = p.recipientName ? `${p.recipientName} (${p.recipientAgencyCode})` : p.recipientAgencyCode;
  const confirmRetry = () => {
    if (window.confirm(t('sending.retry.confirm'))) retry.mutate();
  };
  return (
    <Card withBorder radius="md" data-testid="sending-package">
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap">
          <Badge color={STATUS_COLOR[p.status] ?? 'gray'} variant="light" style={{ textTransform: 'none' }}>{t(`sending.status.${p.status === 'failed' || p.status === 'sent' ? p.status : 'pending'}`)}</Badge>
          <Badge color="gray" variant="outline" style={{ textTransform: 'none' }}>{kind}</Badge>
        </Group>
        <div>
          <Text size="xs" c="dimmed">{t('sending.document')}</Text>
          {p.document.id
            ? <Anchor component={Link} to={`/${p.document.kind}/${p.document.id}`} size="sm" style={{ overflowWrap: 'anywhere' }}>{documentLabel}</Anchor>
            : <Text size="sm">{documentLabel}</Text>}
        </div>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <Field label={t('sending.recipient')} value={recipient} />
          <Field label={t('sending.attempts')} value={String(p.attempts)} />
          {p.status === 'sent' && p.sentAt
            ? <Field label={t('sending.sentAt')} value={dateTime(p.sentAt)} />
            : p.status === 'pending' && p.lastError
              ? <Field label={t('sending.nextAttempt')} value={dateTime(p.nextAttemptAt)} />
              : <Field label={t('sending.createdAt')} value={dateTime(p.createdAt)} />}
        </SimpleGrid>
        {p.errorMessage && (
          <Alert variant="light" color={p.status === 'failed' ? 'red' : 'yellow'} title={t('sending.error')} p="sm">
            <Text size="sm" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{p.errorMessage}</Text>
            {p.status === 'failed' && <Text size="sm" mt={6}>{t('sending.todo.failed')}</Text>}
          </Alert>
        )}
        {retry.isError && <Alert color="red" variant="light" p="sm">{errorMessage(retry.error, t)}</Alert>}
        {p.status === 'failed' && canRetry && (
          <Group gap="xs"><Button leftSection={<IconRefresh size={16} />} onClick={confirmRetry} loading={retry.isPending}>{t('sending.retry')}</Button></Group>
        )}
        {p.axisDocId && <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>{t('sending.axisDocId')}: {p.axisDocId}</Text>}
      </Stack>
    </Card>
  );
}
