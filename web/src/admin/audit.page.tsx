import { useState } from 'react';
import { Button, Card, Code, EmptyState, Group, Select, Stack, Table, Tabs, Text, TextInput, Tooltip } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import IconHistory from '@tabler/icons-react/dist/esm/icons/IconHistory.mjs';
import { api, unwrap } from '../api/client.ts';
import { hasKey, useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { AccessStats } from './access-stats.tsx';

const PAGE = 50;
/** The kinds of object the log is narrowed to (each named by its auditEntity.* key). */
const ENTITY_TYPES = ['user', 'unit', 'agency', 'incoming', 'outgoing', 'records_file', 'records_plan', 'register', 'certificate', 'trust', 'exchange', 'archive'] as const;

function summary(data: unknown): string {
  if (data === null || data === undefined) return '';
  const text = JSON.stringify(data);
  return text === '{}' ? '' : text;
}

/** An event's name in words (its code on hover) and the kind of thing it concerns. */
function EventName({ type, entityType }: { type: string; entityType: string | null }) {
  const { t } = useI18n();
  const key = `auditEvent.${type}`;
  const entityKey = `auditEntity.${entityType ?? ''}`;
  return (
    <>
      <Tooltip label={type} openDelay={400}><Text size="sm" fw={500}>{hasKey(key) ? t(key) : type}</Text></Tooltip>
      {entityType && <Text size="xs" c="dimmed">{hasKey(entityKey) ? t(entityKey) : entityType}</Text>}
    </>
  );
}

/** Agency admins: the audit log and, on its second tab (`?tab=access`), the access statistics. */
export default function AuditPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'access' ? 'access' : 'log';
  return (
    <Stack gap={0}>
      <PageHeader title={t('audit.title')} subtitle={t('audit.subtitle')} />
      <Tabs value={tab} onChange={(v) => setParams(v === 'access' ? { tab: 'access' } : {}, { replace: true })} mb="md">
        <Tabs.List>
          <Tabs.Tab value="log">{t('audit.tab.log')}</Tabs.Tab>
          <Tabs.Tab value="access">{t('accessStats.tab')}</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {tab === 'access' ? <AccessStats /> : <AuditLog />}
    </Stack>
  );
}

/** The audit log, newest first, paged by id, narrowed to a kind of object or a person — a table on a wide screen, cards on a phone. */
function AuditLog() {
  const { t, dateTime } = useI18n();
  const [entityType, setEntityType] = useState<string | null>(null);
  const [person, setPerson] = useState('');
  const [by] = useDebouncedValue(person.trim(), 300);
  const log = useInfiniteQuery({
    queryKey: ['audit', entityType, by],
    initialPageParam: 0,
    queryFn: ({ pageParam }) => unwrap(api.admin.audit.$get({ query: {
      limit: String(PAGE), ...(pageParam > 0 && { beforeId: String(pageParam) }), ...(entityType && { entityType }), ...(by && { actor: by }),
    } })),
    getNextPageParam: (last) => (last.data.length === PAGE ? last.data[last.data.length - 1]?.id : undefined),
    placeholderData: keepPreviousData,
  });
  const rows = log.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack gap={0}>
      <Group gap="sm" mb="md" wrap="wrap">
        <Select w={220} aria-label={t('audit.filter.entity')} placeholder={t('audit.filter.entity')} clearable value={entityType} onChange={setEntityType}
          data={ENTITY_TYPES.map((e) => ({ value: e, label: t(`auditEntity.${e}` as MessageKey) }))} />
        <TextInput style={{ flex: '1 1 14rem' }} maw={360} leftSection={<IconSearch size={16} />} aria-label={t('audit.filter.actor')} placeholder={t('audit.filter.actor')}
          value={person} onChange={(e) => setPerson(e.currentTarget.value)} />
      </Group>
      {log.isPending ? <LoadingState /> : log.isError ? <ErrorState error={log.error} onRetry={() => void log.refetch()} /> : rows.length === 0 ? (
        <Card withBorder radius="md" py="xl">
          {entityType || by ? <Text ta="center" c="dimmed">{t('audit.filter.none')}</Text>
            : <EmptyState icon={<IconHistory size={32} />} title={t('audit.empty')} description={t('audit.empty.help')} />}
        </Card>
      ) : (
        <>
          <Card withBorder radius="md" p={0} visibleFrom="md">
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
                    <Table.Td><EventName type={r.type} entityType={r.entityType} /></Table.Td>
                    <Table.Td maw={360}>{summary(r.data) && <Code style={{ wordBreak: 'break-all' }}>{summary(r.data)}</Code>}</Table.Td>
                    <Table.Td><Text size="xs" ff="monospace">{r.ip}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          {/* On a phone, one card per event: what happened first, then who, when and from where. */}
          <Stack gap="xs" hiddenFrom="md">
            {rows.map((r) => (
              <Card key={r.id} withBorder radius="md" padding="sm" data-testid="audit-event">
                <EventName type={r.type} entityType={r.entityType} />
                <Text size="sm" c="dimmed">{[r.actorName, dateTime(r.at), r.ip].filter(Boolean).join(' · ')}</Text>
                {summary(r.data) && <Code block mt={4} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{summary(r.data)}</Code>}
              </Card>
            ))}
          </Stack>
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
