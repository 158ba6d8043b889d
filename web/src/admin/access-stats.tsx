import { useState } from 'react';
import { Link } from 'react-router';
import { Anchor, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState } from '../ui/states.tsx';
import { VnDateInput } from '../features/documents/vn-date-input.tsx';

const PAGE_OF: Record<string, string> = { incoming: '/incoming/', outgoing: '/outgoing/', records_file: '/records/' };

/** One number with its label. */
function Figure({ label, value }: { label: string; value: number }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fz={28} fw={700} lh={1.2}>{value.toLocaleString('vi-VN')}</Text>
    </Card>
  );
}

/**
 * «Thống kê truy cập» for the agency's admins (ND 30 Phụ lục VI III.6.b): sign-ins and views of documents
 * and files in a period (this month unless dates are typed), per day, and the most viewed ones.
 */
export function AccessStats() {
  const { t, date } = useI18n();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const range = from && to ? { from, to } : {};
  const stats = useQuery({
    queryKey: ['access', 'stats', range],
    queryFn: () => unwrap(api.access.stats.$get({ query: range })),
    placeholderData: keepPreviousData,
  });
  const s = stats.data?.data;
  const days = s ? [...new Set([...s.signIns.perDay, ...s.views.perDay].map((d) => d.day))].sort().reverse() : [];
  const on = <T extends { day: string }>(rows: readonly T[], day: string) => rows.find((r) => r.day === day);
  return (
    <Stack gap="md" data-testid="access-stats">
      <Group gap="sm" align="flex-start" wrap="wrap">
        <VnDateInput w={160} label={t('accessStats.from')} value={from} onChange={setFrom} invalidMessage={t('accessStats.invalidDate')} />
        <VnDateInput w={160} label={t('accessStats.to')} value={to} onChange={setTo} invalidMessage={t('accessStats.invalidDate')} />
      </Group>
      {stats.isPending ? <LoadingState /> : stats.isError ? <ErrorState error={stats.error} onRetry={() => void stats.refetch()} /> : s && (
        <>
          <Text size="sm" c="dimmed">{t('accessStats.period', { from: date(s.from), to: date(s.to) })}</Text>
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
            <Figure label={t('accessStats.signIns')} value={s.signIns.total} />
            <Figure label={t('accessStats.signedInUsers')} value={s.signIns.users} />
            <Figure label={t('accessStats.views')} value={s.views.total} />
          </SimpleGrid>
          {days.length === 0 ? <Text c="dimmed" size="sm">{t('accessStats.none')}</Text> : (
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              <Card withBorder radius="md" p={0}>
                <Title order={3} fz="md" p="md" pb="xs">{t('accessStats.perDay')}</Title>
                <Table verticalSpacing={6} horizontalSpacing="md" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('accessStats.day')}</Table.Th><Table.Th ta="right">{t('accessStats.signIns')}</Table.Th>
                      <Table.Th ta="right">{t('accessStats.people')}</Table.Th><Table.Th ta="right">{t('accessStats.viewsShort')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {days.map((day) => (
                      <Table.Tr key={day}>
                        <Table.Td>{date(day)}</Table.Td>
                        <Table.Td ta="right">{on(s.signIns.perDay, day)?.count ?? 0}</Table.Td>
                        <Table.Td ta="right">{on(s.signIns.perDay, day)?.users ?? 0}</Table.Td>
                        <Table.Td ta="right">{on(s.views.perDay, day)?.count ?? 0}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Card>
              <Card withBorder radius="md">
                <Title order={3} fz="md" mb="xs">{t('accessStats.mostViewed')}</Title>
                <Stack gap="xs">
                  {s.mostViewed.map((m) => (
                    <div key={m.entityId}>
                      {m.title === null ? <Text size="sm" c="dimmed">{t('accessStats.secret')}</Text>
                        : <Anchor component={Link} to={`${PAGE_OF[m.entityType] ?? '/'}${m.entityId}`} size="sm" style={{ overflowWrap: 'anywhere' }}>{m.title}</Anchor>}
                      <Text size="xs" c="dimmed">
                        {t(`accessStats.kind.${m.entityType}` as MessageKey)} · {t('accessStats.viewsOf', { views: m.views, viewers: m.viewers })}
                      </Text>
                    </div>
                  ))}
                </Stack>
              </Card>
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
  );
}
