import { Button, Card, Code, EmptyState, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import IconHistory from '@tabler/icons-react/dist/esm/icons/IconHistory.mjs';
import { api, unwrap } from '../api/client.ts';
import { hasKey, useI18n } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';

const PAGE = 50;

function summary(data: unknown): string {
  if (data === null || data === undefined) return '';
  const text = JSON.stringify(data);
  return text === '{}' ? '' : text;
}

/** Agency admins: the audit log, newest first, paged by id. */
export default function AuditPage() {
  const { t, dateTime } = useI18n();
  const log = useInfiniteQuery({
    queryKey: ['audit'],
    initialPageParam: 0,
    queryFn: ({ pageParam }) => unwrap(api.admin.audit.$get({ query: { limit: String(PAGE), ...(pageParam > 0 && { beforeId: String(pageParam) }) } })),
    getNextPageParam: (last) => (last.data.length === PAGE ? last.data[last.data.length - 1]?.id : undefined),
  });
  const rows = log.data?.pages.flatMap((p) => p.data) ?? [];
  const label = (type: string) => {
    const key = `auditEvent.${type}`;
    return hasKey(key) ? t(key) : type;
  };
  return (
    <Stack gap={0}>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      {log.isPending ? <LoadingState /> : log.isError ? <ErrorState error={log.error} onRetry={() => void log.refetch()} /> : rows.length === 0 ? (
        <Card withBorder radius="md" py="xl"><EmptyState icon={<IconHistory size={32} />} title={t('audit.empty')} description={t('audit.empty.help')} /></Card>
      ) : (
        <>
          <Card withBorder radius="md" p={0}>
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="xs" horizontalSpacing="md" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.at')}</Table.Th><Table.Th>{t('audit.actor')}</Table.Th><Table.Th>{t('audit.type')}</Table.Th>
                    <Table.Th>{t('audit.data')}</Table.Th><Table.Th>{t('audit.ip')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{dateTime(r.at)}</Text></Table.Td>
                      <Table.Td><Text size="sm">{r.actorName}</Text></Table.Td>
                      <Table.Td>
                        <Tooltip label={r.type} openDelay={400}><Text size="sm" fw={500}>{label(r.type)}</Text></Tooltip>
                        {r.entityType && <Text size="xs" c="dimmed">{r.entityType}</Text>}
                      </Table.Td>
                      <Table.Td maw={360}>{summary(r.data) && <Code style={{ wordBreak: 'break-all' }}>{summary(r.data)}</Code>}</Table.Td>
                      <Table.Td><Text size="xs" ff="monospace">{r.ip}</Text></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
          <Group justify="center" mt="md">
            {log.hasNextPage
              ? <Button variant="default" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>{t('app.loadMore')}</Button>
              : <Text size="sm" c="dimmed">{t('audit.end')}</Text>}
          </Group>
        </>
      )}
    </Stack>
  );
}
