import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconAlertTriangle from '@tabler/icons-react/dist/esm/icons/IconAlertTriangle.mjs';
import { api, unwrap } from '../api/client.ts';
import { hasAnyRole, useSession } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';

type Status = InferResponseType<typeof api.archive.status.$get, 200>['data'];
type Row = Status['failures'][number];

/** Admins and archivists: how many kept documents are protected until when, the next renewals and the failures. */
export default function ArchivePage() {
  const { t, date, dateTime } = useI18n();
  const session = useSession();
  const client = useQueryClient();
  const status = useQuery({ queryKey: ['archive'], queryFn: () => unwrap(api.archive.status.$get()) });
  const run = useMutation({ mutationFn: () => unwrap(api.archive.renew.$post()), onSuccess: () => void client.invalidateQueries({ queryKey: ['archive'] }) });
  const canRun = !!session.data && hasAnyRole(session.data.user, ['province_admin']);
  if (status.isPending) return <LoadingState />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data.data;
  const cards = [
    { label: t('archive.protected'), value: s.counts.protected, color: 'teal' },
    { label: t('archive.pending'), value: s.counts.pending, color: 'gray' },
    { label: t('archive.failed'), value: s.counts.failed, color: s.counts.failed > 0 ? 'crimson' : 'gray' },
    { label: t('archive.skipped'), value: s.counts.skipped, color: 'gray' },
  ];
  return (
    <Stack maw={1100}>
      <PageHeader title={t('archive.title')} subtitle={t('archive.subtitle')}
        actions={canRun ? <Button onClick={() => run.mutate()} loading={run.isPending}>{t('archive.runNow')}</Button> : undefined} />
      {!s.tsaConfigured && <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={20} />} role="alert">{t('archive.noTsa')}</Alert>}
      {run.isSuccess && <Alert color="teal" variant="light" role="status">{t('archive.queued')}</Alert>}
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {cards.map((c) => (
          <Card key={c.label} withBorder radius="md">
            <Text size="xl" fw={700} c={`${c.color}.8`}>{c.value}</Text>
            <Text size="sm" c="dimmed">{c.label}</Text>
          </Card>
        ))}
      </SimpleGrid>
      <Group gap="lg">
        {s.protectedUntil.earliest && <Text size="sm">{t('archive.earliest', { date: date(s.protectedUntil.earliest) })}</Text>}
        {s.nextPassAt && <Text size="sm">{t('archive.nextPass', { date: dateTime(s.nextPassAt) })}</Text>}
        <Text size="sm" c="dimmed">{t('archive.margin', { days: s.marginDays })}</Text>
      </Group>
      <RowsTable title={t('archive.upcoming')} rows={s.nextRenewals} columns={[
        [t('archive.until'), (r) => date(r.protectedUntil)], [t('archive.dueFrom'), (r) => date(r.renewDueAt)], [t('archive.renewals'), (r) => String(r.renewals)],
      ]} />
      <RowsTable title={t('archive.failures')} rows={s.failures} columns={[
        [t('archive.error'), (r) => (r.lastError ?? '').replace(/^[a-z0-9_.]+: /, '')], [t('archive.attempts'), (r) => String(r.attempts)], [t('archive.retryAt'), (r) => dateTime(r.nextAttemptAt)],
      ]} />
    </Stack>
  );
}

function RowsTable({ title, rows, columns }: { title: string; rows: readonly Row[]; columns: [string, (r: Row) => string][] }) {
  const { t } = useI18n();
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">{title}</Title>
      {rows.length === 0 ? <Text size="sm" c="dimmed">{t('archive.none')}</Text> : (
        <Card withBorder radius="md" p={0}>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr><Table.Th>{t('archive.document')}</Table.Th><Table.Th>{t('archive.file')}</Table.Th>{columns.map(([h]) => <Table.Th key={h}>{h}</Table.Th>)}</Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Badge variant="light" color="gray" mr="xs">{t(r.ownerType === 'outgoing' ? 'archive.outgoing' : 'archive.incoming')}</Badge>
                      <Text span size="sm">{r.label}</Text>
                    </Table.Td>
                    <Table.Td><Text size="sm">{r.fileName}</Text></Table.Td>
                    {columns.map(([h, cell]) => <Table.Td key={h}><Text size="sm">{cell(r)}</Text></Table.Td>)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
    </Stack>
  );
}
