import { Alert, Badge, Button, Card, Code, EmptyState, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconDatabase from '@tabler/icons-react/dist/esm/icons/IconDatabase.mjs';
import IconAlertTriangle from '@tabler/icons-react/dist/esm/icons/IconAlertTriangle.mjs';
import IconCircleCheck from '@tabler/icons-react/dist/esm/icons/IconCircleCheck.mjs';
import type { InferResponseType } from 'hono/client';
import { api, unwrap } from '../api/client.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';

type Health = InferResponseType<typeof api.admin.backups.$get, 200>['data']['health'];

const STATUS_COLOR: Record<string, string> = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'crimson' };

const size = (n: number | null) => (n === null ? '—' : n < 1024 * 1024 ? `${(n / 1024).toFixed(1).replace('.', ',')} KB` : `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`);

/** Administrators: the server's backups (daily at 02:00 and on demand), «Sao lưu ngay», and how to restore (ND 30 Phụ lục VI III.5.g, IV.1.e). */
export default function BackupPage() {
  const { t, dateTime } = useI18n();
  const client = useQueryClient();
  const runs = useQuery({
    queryKey: ['backups'], queryFn: () => unwrap(api.admin.backups.$get()),
    refetchInterval: (q) => (q.state.data?.data.runs.some((r) => r.status === 'queued' || r.status === 'running') ? 3000 : false),
  });
  const runNow = useMutation({ mutationFn: () => unwrap(api.admin.backups.$post()), onSuccess: () => void client.invalidateQueries({ queryKey: ['backups'] }) });
  if (runs.isPending) return <LoadingState />;
  if (runs.isError) return <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />;
  const s = runs.data.data;
  return (
    <Stack maw={1100}>
      <PageHeader title={t('backup.title')} subtitle={t('backup.subtitle', { keep: s.keep })}
        actions={<Button onClick={() => runNow.mutate()} loading={runNow.isPending}>{t('backup.runNow')}</Button>} />
      {runNow.isSuccess && <Alert color="teal" variant="light" role="status">{t('backup.queued')}</Alert>}
      <BackupHealthLine health={s.health} />
      {s.runs.length === 0 ? (
        <Card withBorder radius="md" py="xl"><EmptyState icon={<IconDatabase size={32} />} title={t('backup.empty')} /></Card>
      ) : (
        <Card withBorder radius="md" p={0}>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr><Table.Th>{t('backup.at')}</Table.Th><Table.Th>{t('backup.trigger')}</Table.Th><Table.Th>{t('backup.file')}</Table.Th><Table.Th>{t('backup.size')}</Table.Th><Table.Th>{t('backup.status')}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.runs.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{dateTime(r.startedAt ?? r.createdAt)}</Text></Table.Td>
                    <Table.Td><Text size="sm">{t(`backup.trigger.${r.trigger}` as MessageKey)}</Text></Table.Td>
                    <Table.Td><Text size="sm" style={{ wordBreak: 'break-all' }}>{r.fileName ?? (r.error ? <Text span size="sm" c="crimson.8">{r.error}</Text> : '—')}</Text></Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{size(r.size)}</Text></Table.Td>
                    <Table.Td><Badge variant="light" color={STATUS_COLOR[r.status] ?? 'gray'}>{t(`backup.status.${r.status}` as MessageKey)}</Badge></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <Text size="sm" c="dimmed">{t('backup.where', { dir: s.dir })}</Text>
      <Stack gap="xs">
        <Title order={3} size="h4">{t('backup.restore.title')}</Title>
        <Text size="sm">{t('backup.restore.steps')}</Text>
        <Code block>{[
          'vanthu backup verify TỆP.tar',
          'vanthu backup restore TỆP.tar            # DATA_DIR trống',
          'vanthu backup restore TỆP.tar --force    # chuyển dữ liệu cũ sang DATA_DIR.before-restore-…',
        ].join('\n')}</Code>
      </Stack>
    </Stack>
  );
}

/**
 * How the backups stand: a red alert while the last run failed or none has succeeded for too long (with the
 * error and the last success), a green line when all is well, nothing before the first backup.
 */
function BackupHealthLine({ health }: { health: Health }) {
  const { t, dateTime } = useI18n();
  const next = health.nextScheduledAt && <Text span size="sm" c="dimmed"> {t('backup.health.next', { at: dateTime(health.nextScheduledAt) })}</Text>;
  if (health.lastFailure || health.isStale) {
    return (
      <Alert color="crimson" variant="light" icon={<IconAlertTriangle size={20} />} role="alert" title={t('backup.health.alert')} data-testid="backup-health-alert">
        <Stack gap={4}>
          {health.lastFailure && <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{t('backup.health.failed', { at: dateTime(health.lastFailure.at), error: health.lastFailure.error })}</Text>}
          {health.isStale && <Text size="sm">{t('backup.health.stale', { hours: health.staleAfterHours })}</Text>}
          <Text size="sm" fw={600}>{health.lastSuccessAt ? t('backup.health.lastSuccess', { at: dateTime(health.lastSuccessAt) }) : t('backup.health.neverSucceeded')}</Text>
          <Text size="sm">{t('backup.health.fix')}</Text>
        </Stack>
      </Alert>
    );
  }
  if (!health.lastSuccessAt) return null;
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="backup-health-ok" role="status">
      <IconCircleCheck size={20} color="var(--mantine-color-teal-7)" style={{ flex: 'none', marginTop: 1 }} />
      <Text size="sm" c="teal.9">{t('backup.health.ok', { at: dateTime(health.lastSuccessAt) })}{next}</Text>
    </Group>
  );
}
