import { Alert, Badge, Button, Card, Code, EmptyState, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconDatabase from '@tabler/icons-react/dist/esm/icons/IconDatabase.mjs';
import { api, unwrap } from '../api/client.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { BACKUPS_KEY, BackupHealthLine } from './backup-health.tsx';

const STATUS_COLOR: Record<string, string> = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'crimson' };

const size = (n: number | null) => (n === null ? '—' : n < 1024 * 1024 ? `${(n / 1024).toFixed(1).replace('.', ',')} KB` : `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`);

/** Administrators: the server's backups (daily at 02:00 and on demand), «Sao lưu ngay», and how to restore (ND 30 Phụ lục VI III.5.g, IV.1.e). */
export default function BackupPage() {
  const { t, dateTime } = useI18n();
  const client = useQueryClient();
  const runs = useQuery({
    queryKey: BACKUPS_KEY, queryFn: () => unwrap(api.admin.backups.$get()),
    refetchInterval: (q) => (q.state.data?.data.runs.some((r) => r.status === 'queued' || r.status === 'running') ? 3000 : false),
  });
  const runNow = useMutation({ mutationFn: () => unwrap(api.admin.backups.$post()), onSuccess: () => void client.invalidateQueries({ queryKey: BACKUPS_KEY }) });
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
