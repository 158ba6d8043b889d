import { useState } from 'react';
import { Link } from 'react-router';
import { Anchor, Badge, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import { api, unwrap } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState } from '../../ui/states.tsx';
import { Stat, STICKY_FIRST, UnitName } from './reports.page.tsx';

type RecordsData = InferResponseType<typeof api.reports.records.$get, 200>['data'];
type RecordsCounts = RecordsData['total'];
export type RecordsQuery = { year: number; unitId?: string };

/** The query string of the records report. */
export const recordsQueryOf = (q: RecordsQuery): Record<string, string> => ({ year: String(q.year), ...(q.unitId && { unitId: q.unitId }) });

/** Năm hồ sơ: this year and the five before it (the file plan's years). */
export function YearPicker({ value, onChange }: { value: number; onChange: (year: number) => void }) {
  const { t } = useI18n();
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, i) => String(thisYear - i));
  return <Select label={t('reports.rec.year')} data={years} value={String(value)} onChange={(y) => y && onChange(Number(y))} allowDeselect={false} w={140} />;
}

const COLUMNS: { key: keyof RecordsCounts; label: MessageKey; color?: string }[] = [
  { key: 'files', label: 'reports.rec.col.files' }, { key: 'open', label: 'reports.rec.open' }, { key: 'closed', label: 'reports.rec.closed' },
  { key: 'handedOver', label: 'reports.rec.handedOver', color: 'teal' }, { key: 'handOverDue', label: 'reports.rec.due', color: 'orange' },
  { key: 'handOverOverdue', label: 'reports.rec.col.overdue', color: 'red' }, { key: 'permanent', label: 'reports.rec.col.permanent' },
  { key: 'limited', label: 'reports.rec.col.limited' }, { key: 'adHoc', label: 'reports.rec.col.adHoc' },
  { key: 'documents', label: 'reports.rec.col.documents' }, { key: 'pages', label: 'reports.rec.col.pages' },
];

/**
 * Thống kê hồ sơ (ND 30 Phụ lục VI III.4.đ, III.6.a): a year's work files per unit and per người lập hồ sơ,
 * with the totals; a person's name lists the files they opened. The server decides the scope.
 */
export function RecordsReport({ query, onUnit }: { query: RecordsQuery; onUnit: (unitId: string | null) => void }) {
  const { t } = useI18n();
  const [person, setPerson] = useState<{ id: string; name: string } | null>(null);
  const report = useQuery({ queryKey: ['reports', 'records', query], queryFn: () => unwrap(api.reports.records.$get({ query: recordsQueryOf(query) })) });
  if (report.isPending) return <LoadingState />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data.data;
  const c = r.total;
  const canPick = !query.unitId && !r.scope.unitId;
  const who = r.scope.unitId ? t('reports.scope.unit', { name: r.scope.unitName ?? '' }) : t('reports.scope.agency', { name: r.scope.agencyName });
  const cells = (counts: RecordsCounts) => COLUMNS.map((col) => (
    <Table.Td key={col.key} ta="right" c={counts[col.key] && col.color ? col.color : undefined}>{counts[col.key]}</Table.Td>
  ));
  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" c="dimmed">{t('reports.rec.scope', { year: r.year, who })}</Text>
        {query.unitId && <Button size="compact-sm" variant="subtle" onClick={() => onUnit(null)}>{t('reports.scope.back')}</Button>}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        <Stat label={t('reports.rec.files')} value={c.files} hint={t('reports.rec.filesHint', { adHoc: c.adHoc, permanent: c.permanent, limited: c.limited })} />
        <Stat label={t('reports.rec.open')} value={c.open} />
        <Stat label={t('reports.rec.closed')} value={c.closed} />
        <Stat label={t('reports.rec.handedOver')} value={c.handedOver} color="teal" />
        <Stat label={t('reports.rec.due')} value={c.handOverDue} color={c.handOverOverdue ? 'red' : c.handOverDue ? 'orange' : undefined} hint={t('reports.rec.dueHint', { overdue: c.handOverOverdue })} />
        <Stat label={t('reports.rec.documents')} value={c.documents} hint={t('reports.rec.documentsHint', { pages: c.pages })} />
      </SimpleGrid>
      {r.byUnit.length === 0 ? (
        <Card withBorder radius="md" py="lg"><Text ta="center" c="dimmed">{t('reports.rec.empty')}</Text></Card>
      ) : (
        <Card withBorder radius="md" padding="sm">
          <Title order={3} size="h5">{t('reports.rec.table')}</Title>
          <Text size="xs" c="dimmed" mb="xs">{t('reports.rec.tableHint')}</Text>
          <Table.ScrollContainer minWidth={860}>
            <Table striped withTableBorder verticalSpacing={6} fz="sm">
              <Table.Thead>
                <Table.Tr><Table.Th fz="xs" style={{ ...STICKY_FIRST, minWidth: 150 }}>{t('reports.rec.col.who')}</Table.Th>{COLUMNS.map((col) => <Table.Th key={col.key} ta="right" fz="xs">{t(col.label)}</Table.Th>)}</Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.byUnit.flatMap((u) => [
                  <Table.Tr key={u.id ?? 'none'} fw={600}>
                    <Table.Td style={STICKY_FIRST}><UnitName id={u.id} name={u.name} pick={canPick ? onUnit : undefined} /></Table.Td>{cells(u.counts)}
                  </Table.Tr>,
                  ...u.people.map((p) => (
                    <Table.Tr key={`${u.id ?? 'none'}:${p.id}`}>
                      <Table.Td pl="lg" style={STICKY_FIRST}>
                        <Anchor component="button" type="button" size="sm" ta="left" onClick={() => setPerson({ id: p.id, name: p.name })}>{p.name}</Anchor>
                      </Table.Td>
                      {cells(p.counts)}
                    </Table.Tr>
                  )),
                ])}
                <Table.Tr fw={700}><Table.Td style={STICKY_FIRST}>{t('reports.total')}</Table.Td>{cells(c)}</Table.Tr>
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <Modal opened={!!person} onClose={() => setPerson(null)} size="lg" title={person ? t('reports.rec.person', { name: person.name, year: r.year }) : ''}>
        {person && <PersonFiles query={query} userId={person.id} />}
      </Modal>
    </Stack>
  );
}

/** The files one account opened in the year (III.4.đ), each opening its page. */
function PersonFiles({ query, userId }: { query: RecordsQuery; userId: string }) {
  const { t, date } = useI18n();
  const list = useQuery({
    queryKey: ['reports', 'records', 'files', query, userId],
    queryFn: () => unwrap(api.reports.records.files.$get({ query: { ...recordsQueryOf(query), userId } })),
  });
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const files = list.data.data.files;
  if (files.length === 0) return <Text size="sm" c="dimmed">{t('reports.rec.personEmpty')}</Text>;
  return (
    <Stack gap="xs">
      {files.map((f) => (
        <Card key={f.id} withBorder radius="sm" padding="xs">
          <Anchor component={Link} to={`/records/${f.id}`} fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>{f.notation} — {f.title}</Anchor>
          <Group gap={6} mt={4} wrap="wrap">
            <Badge variant="light" color={f.status === 'handed_over' ? 'teal' : f.status === 'open' ? 'blue' : 'gray'}>{t(`records.status.${f.status}` as MessageKey)}</Badge>
            <Badge variant="light" color="gray">
              {f.retention === 'permanent' ? t('records.retention.permanent') : t('records.retention.years', { n: f.retention })}
            </Badge>
            {f.isAdHoc && <Badge variant="outline" color="gray">{t('reports.rec.adHoc')}</Badge>}
            {f.handOverState && (
              <Badge color={f.handOverState === 'overdue' ? 'red' : 'orange'}>
                {t(`records.handOverDue.${f.handOverState}` as MessageKey)}{f.handOverDueDate ? ` · ${date(f.handOverDueDate)}` : ''}
              </Badge>
            )}
            <Text size="xs" c="dimmed">{f.unitName} · {t('reports.rec.docsPages', { documents: f.documents, pages: f.pages })}</Text>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
