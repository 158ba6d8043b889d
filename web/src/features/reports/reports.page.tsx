import { useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Anchor, Badge, Button, Card, Chip, Group, Modal, SimpleGrid, Stack, Table, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconFileSpreadsheet from '@tabler/icons-react/dist/esm/icons/IconFileSpreadsheet.mjs';
import IconPrinter from '@tabler/icons-react/dist/esm/icons/IconPrinter.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { hasAnyRole, useSession } from '../../auth/session.ts';
import { RecordsReport, recordsQueryOf, YearPicker, type RecordsQuery } from './reports-records.tsx';
import { formatDocumentNumber } from '../../../../src/domain/registers/document-types.ts';

type Period = 'month' | 'quarter' | 'year' | 'range';
type Query = { period: Period; from?: string; to?: string; unitId?: string };
type IncomingData = InferResponseType<typeof api.reports.incoming.$get, 200>['data'];
type OutgoingData = InferResponseType<typeof api.reports.outgoing.$get, 200>['data'];
type Counts = IncomingData['total'];

const PERIODS: Period[] = ['month', 'quarter', 'year', 'range'];
type Tab = 'incoming' | 'outgoing' | 'records';
/** Who may read the work files report (reports.records.view): the agency's leaders, clerks and archivists, and unit heads. */
const RECORDS_REPORT_ROLES = ['leader', 'clerk', 'archivist', 'unit_head'] as const;
const OVERDUE_SHOWN = 20;

/** The query string of a period (a range only once both days are chosen). */
const queryOf = (q: Query): Record<string, string> => ({
  ...(q.period === 'range' ? { period: 'range', from: q.from ?? '', to: q.to ?? '' } : { period: q.period }),
  ...(q.unitId && { unitId: q.unitId }),
});
const isReady = (q: Query) => q.period !== 'range' || (!!q.from && !!q.to && q.from <= q.to);

/**
 * Báo cáo thống kê: how incoming documents are handled (per unit and person in charge, the overdue ones
 * to chase) and how outgoing ones go, for this month, quarter, year or a range; the work files of a year
 * (tab «Hồ sơ», ?tab=records); downloads as XLSX or PDF. The server decides the scope: the agency, the
 * unit head's unit, or the user's own documents.
 */
export default function ReportsPage() {
  const { t } = useI18n();
  const { data: session } = useSession();
  // thống kê hồ sơ: for those who count the agency's or their unit's files (src/policies/reports.ts)
  const seesRecords = !!session && hasAnyRole(session.user, RECORDS_REPORT_ROLES);
  const [params, setParams] = useSearchParams();
  // an archivist's numbers are the files; everyone else starts with the incoming documents
  const defaultTab: Tab = seesRecords && hasAnyRole(session.user, ['archivist']) ? 'records' : 'incoming';
  const asked = params.get('tab');
  const tab: Tab = asked === 'incoming' || asked === 'outgoing' || (asked === 'records' && seesRecords) ? asked : defaultTab;
  const setTab = (next: Tab) => setParams({ tab: next }, { replace: true });
  const [query, setQuery] = useState<Query>({ period: 'month' });
  const [records, setRecords] = useState<RecordsQuery>({ year: new Date().getFullYear() });
  // agency-wide readers narrow the report to one unit from its row, and back
  const onUnit = (unitId: string | null) => setQuery({ ...query, unitId: unitId ?? undefined });
  const onRecordsUnit = (unitId: string | null) => setRecords({ ...records, unitId: unitId ?? undefined });
  const exportUrl = (format: 'xlsx' | 'pdf') => `/api/reports/${tab}/export?${new URLSearchParams({ ...(tab === 'records' ? recordsQueryOf(records) : queryOf(query)), format })}`;
  return (
    <Stack gap="md" maw={1200}>
      <PageHeader title={t('reports.title')} subtitle={t('reports.subtitle')} actions={(tab === 'records' || isReady(query)) && (
        <Group gap="xs">
          <Button component="a" href={exportUrl('xlsx')} variant="default" leftSection={<IconFileSpreadsheet size={18} />}>{t('reports.xlsx')}</Button>
          <Button component="a" href={exportUrl('pdf')} variant="default" leftSection={<IconPrinter size={18} />}>{t('reports.pdf')}</Button>
        </Group>
      )} />
      {tab === 'records' ? <YearPicker value={records.year} onChange={(year) => setRecords({ ...records, year })} /> : <PeriodPicker value={query} onChange={setQuery} />}
      <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)}>
        <Tabs.List>
          <Tabs.Tab value="incoming">{t('reports.tab.incoming')}</Tabs.Tab>
          <Tabs.Tab value="outgoing">{t('reports.tab.outgoing')}</Tabs.Tab>
          {seesRecords && <Tabs.Tab value="records">{t('reports.tab.records')}</Tabs.Tab>}
        </Tabs.List>
      </Tabs>
      {tab === 'records' ? <RecordsReport query={records} onUnit={onRecordsUnit} />
        : !isReady(query) ? <RangeHint query={query} /> : tab === 'incoming' ? <IncomingReport query={query} onUnit={onUnit} /> : <OutgoingReport query={query} onUnit={onUnit} />}
    </Stack>
  );
}

function PeriodPicker({ value, onChange }: { value: Query; onChange: (q: Query) => void }) {
  const { t } = useI18n();
  return (
    <Group gap="sm" wrap="wrap" align="flex-end">
      {/* chips wrap on a phone, where a segmented control would be cut off */}
      <Chip.Group value={value.period} onChange={(p) => onChange({ ...value, period: p as Period })}>
        <Group gap="xs" wrap="wrap" role="radiogroup" aria-label={t('reports.period')}>
          {PERIODS.map((p) => <Chip key={p} value={p} variant="outline">{t(`reports.period.${p}` as MessageKey)}</Chip>)}
        </Group>
      </Chip.Group>
      {value.period === 'range' && (
        <Group gap="sm" wrap="wrap">
          <VnDateInput label={t('reports.period.from')} value={value.from ?? ''} onChange={(iso) => onChange({ ...value, from: iso })} invalidMessage={t('doc.date.invalid')} w={170} />
          <VnDateInput label={t('reports.period.to')} value={value.to ?? ''} onChange={(iso) => onChange({ ...value, to: iso })} invalidMessage={t('doc.date.invalid')} w={170} />
        </Group>
      )}
    </Group>
  );
}

/** «Khoảng ngày» chosen but its days not yet (or backwards): say what to do instead of showing nothing. */
function RangeHint({ query }: { query: Query }) {
  const { t } = useI18n();
  const isBackwards = !!query.from && !!query.to && query.from > query.to;
  return (
    <Card withBorder radius="md" py="lg" data-testid="reports-range-hint">
      <Text ta="center" size="sm" c={isBackwards ? 'red' : 'dimmed'}>{t(isBackwards ? 'reports.period.backwards' : 'reports.period.pick')}</Text>
    </Card>
  );
}

type UnitPick = { query: Query; onUnit: (unitId: string | null) => void };

/** Whether the rows of the per-unit table narrow the report (an agency-wide report read by someone who may). */
const canPickUnit = (data: IncomingData | OutgoingData, query: Query) => !query.unitId && !data.scope.unitId && !data.scope.userId;

function ScopeLine({ data, query, onUnit }: { data: IncomingData | OutgoingData } & UnitPick) {
  const { t, date } = useI18n();
  const s = data.scope;
  const who = s.userId ? t('reports.scope.user') : s.unitId ? t('reports.scope.unit', { name: s.unitName ?? '' }) : t('reports.scope.agency', { name: s.agencyName });
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="sm" c="dimmed">
        {who} · {t('reports.period.label', { from: date(data.period.from), to: date(data.period.to), asOf: date(data.period.asOf) })}
      </Text>
      {query.unitId && <Button size="compact-sm" variant="subtle" onClick={() => onUnit(null)}>{t('reports.scope.back')}</Button>}
    </Group>
  );
}

export function UnitName({ id, name, pick }: { id: string | null; name: string; pick?: (unitId: string) => void }) {
  if (!pick || !id) return <>{name}</>;
  return <Anchor component="button" type="button" size="sm" ta="left" onClick={() => pick(id)}>{name}</Anchor>;
}

/** A count or an average with a decimal comma (2,5); '—' for none. */
const decimal = (v: number | null) => (v === null ? '—' : String(v).replace('.', ','));

function NoDocuments() {
  const { t } = useI18n();
  return <Card withBorder radius="md" py="lg"><Text ta="center" c="dimmed">{t('reports.empty')}</Text></Card>;
}

export function Stat({ label, value, hint, color }: { label: string; value: ReactNode; hint?: string; color?: string }) {
  return (
    <Card withBorder radius="md" padding="sm">
      <Text size="sm" c="dimmed" lh={1.3}>{label}</Text>
      <Text fz={28} fw={700} c={color} lh={1.3}>{value}</Text>
      {hint && <Text size="xs" c="dimmed">{hint}</Text>}
    </Card>
  );
}

function IncomingReport({ query, onUnit }: UnitPick) {
  const { t } = useI18n();
  const report = useQuery({ queryKey: ['reports', 'incoming', query], queryFn: () => unwrap(api.reports.incoming.$get({ query: queryOf(query) })) });
  if (report.isPending) return <LoadingState />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data.data;
  const c = r.total;
  return (
    <Stack gap="md">
      <ScopeLine data={r} query={query} onUnit={onUnit} />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        <Stat label={t('reports.in.received')} value={c.received} hint={t('reports.in.receivedHint', { electronic: c.electronic, paper: c.paper, registered: c.registered })} />
        <Stat label={t('reports.in.toHandle')} value={c.toHandle} hint={t('reports.in.toHandleHint', { carried: c.carriedOver })} />
        <Stat label={t('reports.in.done')} value={c.done} color="teal" hint={t('reports.in.doneHint', { onTime: c.doneOnTime, late: c.doneLate })} />
        <Stat label={t('reports.in.overdue')} value={c.overdue} color={c.overdue ? 'red' : undefined} />
        <Stat label={t('reports.in.handling')} value={c.handling} hint={t('reports.in.handlingHint', { notYetDue: c.notYetDue, noDeadline: c.noDeadline })} />
        <Stat label={t('reports.in.avgDays')} value={decimal(c.avgDays)} hint={c.avgDays === null ? t('reports.in.avgNone') : undefined} />
      </SimpleGrid>
      <OverdueList items={r.overdue} canChase={!!report.data.can['reports.chase']} />
      {r.byUnit.length === 0 ? (
        <NoDocuments />
      ) : (
        <>
          <CountsTable title={t('reports.byUnit')} first={t('reports.col.unit')} groups={r.byUnit} total={c} pick={canPickUnit(r, query) ? onUnit : undefined} />
          {r.byPerson.some((g) => g.id) && <CountsTable title={t('reports.byPerson')} first={t('reports.col.person')} groups={r.byPerson} />}
        </>
      )}
    </Stack>
  );
}

/**
 * The name column of a report table stays in place while the numbers scroll sideways on a phone (a table of 9–12
 * columns shows three at 390 px): without it, the numbers scrolled into view have no unit or person beside them.
 */
export const STICKY_FIRST = { position: 'sticky', left: 0, zIndex: 1, minWidth: 140, backgroundColor: 'var(--mantine-color-body)', boxShadow: 'inset -1px 0 0 var(--table-border-color)' } as const;

const COLUMNS: { key: keyof Counts; label: MessageKey; color?: string }[] = [
  { key: 'received', label: 'reports.col.received' }, { key: 'toHandle', label: 'reports.col.toHandle' },
  { key: 'doneOnTime', label: 'reports.col.onTime', color: 'teal' }, { key: 'doneLate', label: 'reports.col.late', color: 'orange' },
  { key: 'overdue', label: 'reports.col.overdue', color: 'red' }, { key: 'notYetDue', label: 'reports.col.notYetDue' },
  { key: 'noDeadline', label: 'reports.col.noDeadline' }, { key: 'avgDays', label: 'reports.col.avgDays' },
];

function CountsTable({ title, first, groups, total, pick }: { title: string; first: string; groups: IncomingData['byUnit']; total?: Counts; pick?: (unitId: string) => void }) {
  const { t } = useI18n();
  const cells = (c: Counts) => COLUMNS.map((col) => {
    const v = c[col.key];
    return <Table.Td key={col.key} ta="right" c={v && col.color ? col.color : undefined}>{decimal(v)}</Table.Td>;
  });
  return (
    <Card withBorder radius="md" padding="sm">
      <Title order={3} size="h5" mb="xs">{title}</Title>
      <Table.ScrollContainer minWidth={760}>
        <Table striped withTableBorder verticalSpacing={6} fz="sm">
          <Table.Thead>
            <Table.Tr><Table.Th style={STICKY_FIRST}>{first}</Table.Th>{COLUMNS.map((col) => <Table.Th key={col.key} ta="right">{t(col.label)}</Table.Th>)}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {groups.map((g) => <Table.Tr key={g.id ?? 'none'}><Table.Td style={STICKY_FIRST} data-testid="reports-row-name"><UnitName id={g.id} name={g.name} pick={pick} /></Table.Td>{cells(g.counts)}</Table.Tr>)}
            {total && <Table.Tr fw={700}><Table.Td style={STICKY_FIRST}>{t('reports.total')}</Table.Td>{cells(total)}</Table.Tr>}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function OverdueList({ items, canChase }: { items: IncomingData['overdue']; canChase: boolean }) {
  const { t, date } = useI18n();
  const [chasing, setChasing] = useState<IncomingData['overdue'][number] | null>(null);
  // a large agency may have hundreds: the most overdue first, the rest on demand (the downloads have all)
  const [isAll, setAll] = useState(false);
  const shown = isAll ? items : items.slice(0, OVERDUE_SHOWN);
  return (
    <Card withBorder radius="md" padding="sm" data-testid="overdue-list">
      <Title order={3} size="h5" mb="xs" c={items.length ? 'red' : undefined}>{t(canChase ? 'reports.overdue.title' : 'reports.overdue.titleOwn', { n: items.length })}</Title>
      {items.length === 0 ? <Text size="sm" c="dimmed">{t('reports.overdue.none')}</Text> : (
        <Stack gap="xs">
          {shown.map((o) => (
            <Card key={o.id} withBorder radius="sm" padding="xs">
              <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
                <Stack gap={2} style={{ minWidth: 0, flex: '1 1 260px' }}>
                  <Anchor component={Link} to={`/incoming/${o.id}`} fw={600} size="sm" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>{o.subject}</Anchor>
                  <Text size="xs" c="dimmed">
                    {[o.arrivalNumber && t('reports.overdue.number', { n: formatDocumentNumber(o.arrivalNumber) }), o.label, o.unitName, o.userName].filter(Boolean).join(' · ')}
                  </Text>
                </Stack>
                <Group gap={6}>
                  <Badge variant="light" color="gray">{t('reports.overdue.deadline', { date: date(o.deadline) })}</Badge>
                  <Badge color="red">{t('reports.overdue.days', { n: o.daysOverdue })}</Badge>
                  {canChase && <Button size="compact-sm" variant="light" color="red" onClick={() => setChasing(o)}>{t('reports.chase')}</Button>}
                </Group>
              </Group>
            </Card>
          ))}
          {shown.length < items.length && <Button variant="subtle" onClick={() => setAll(true)}>{t('reports.overdue.all', { n: items.length })}</Button>}
        </Stack>
      )}
      <ChaseModal item={chasing} onClose={() => setChasing(null)} />
    </Card>
  );
}

/** Đôn đốc: a note, then the holder gets an in-app notice (POST /api/reports/incoming/chase). */
function ChaseModal({ item, onClose }: { item: IncomingData['overdue'][number] | null; onClose: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const chase = useMutation({
    mutationFn: (incomingId: string) => unwrap(api.reports.incoming.chase.$post({ json: { incomingId, note } })),
    onSuccess: (res) => {
      notifications.show({ color: 'teal', message: t('reports.chase.sent', { names: res.data.notified.join(', ') }) });
      setNote('');
      onClose();
    },
  });
  return (
    <Modal opened={!!item} onClose={onClose} title={t('reports.chase.title')}>
      {item && (
        <Stack gap="sm">
          <Text size="sm" fw={600}>{item.subject}</Text>
          <Text size="sm" c="dimmed">{t('reports.chase.help')}</Text>
          <Textarea label={t('reports.chase.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
          {chase.isError && <Text size="sm" c="red">{errorMessage(chase.error, t)}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
            <Button color="red" loading={chase.isPending} onClick={() => chase.mutate(item.id)}>{t('reports.chase.send')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function OutgoingReport({ query, onUnit }: UnitPick) {
  const { t } = useI18n();
  const report = useQuery({ queryKey: ['reports', 'outgoing', query], queryFn: () => unwrap(api.reports.outgoing.$get({ query: queryOf(query) })) });
  if (report.isPending) return <LoadingState />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data.data;
  const c = r.total;
  const p = r.recipients;
  const recipientKeys = ['pending', 'received', 'registered', 'handling', 'done', 'refused', 'recall'] as const;
  return (
    <Stack gap="md">
      <ScopeLine data={r} query={query} onUnit={onUnit} />
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Stat label={t('reports.out.drafted')} value={c.drafted} hint={t('reports.out.draftedHint', { drafting: c.drafting, cancelled: c.cancelled })} />
        <Stat label={t('reports.out.inReview')} value={c.inReview} />
        <Stat label={t('reports.out.signed')} value={c.signed} />
        <Stat label={t('reports.out.issued')} value={c.issued} color="teal" hint={t('reports.out.issuedHint', { recalled: c.recalled, replaced: c.replaced })} />
      </SimpleGrid>
      {r.byUnit.length === 0 ? <NoDocuments /> : (
        <Card withBorder radius="md" padding="sm">
          <Title order={3} size="h5" mb="xs">{t('reports.out.byUnit')}</Title>
          <Table.ScrollContainer minWidth={560}>
            <Table striped withTableBorder verticalSpacing={6} fz="sm">
              <Table.Thead><Table.Tr>
                {(['reports.out.col.unit', 'reports.out.drafted', 'reports.out.inReview', 'reports.out.signed', 'reports.out.issued', 'reports.out.col.recalled'] as const).map((k, i) => <Table.Th key={k} ta={i ? 'right' : undefined}>{t(k)}</Table.Th>)}
              </Table.Tr></Table.Thead>
              <Table.Tbody>
                {[...r.byUnit, { id: 'total', name: t('reports.total'), counts: c }].map((g) => (
                  <Table.Tr key={g.id ?? 'none'} fw={g.id === 'total' ? 700 : undefined}>
                    <Table.Td><UnitName id={g.id === 'total' ? null : g.id} name={g.name} pick={canPickUnit(r, query) ? onUnit : undefined} /></Table.Td>
                    {[g.counts.drafted, g.counts.inReview, g.counts.signed, g.counts.issued, g.counts.recalled + g.counts.replaced].map((v, i) => <Table.Td key={i} ta="right">{v}</Table.Td>)}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Card withBorder radius="md" padding="sm">
          <Title order={3} size="h5" mb="xs">{t('reports.out.byType')}</Title>
          {r.issuedByType.length === 0 ? <Text size="sm" c="dimmed">{t('reports.empty')}</Text> : r.issuedByType.map((ty) => (
            <Group key={ty.code} justify="space-between"><Text size="sm">{ty.name}</Text><Text size="sm" fw={600}>{ty.count}</Text></Group>
          ))}
        </Card>
        <Card withBorder radius="md" padding="sm">
          <Title order={3} size="h5" mb="xs">{t('reports.out.recipients', { n: p.total })}</Title>
          <Group gap={6} wrap="wrap">
            {recipientKeys.map((k) => <Badge key={k} variant="light" color={k === 'refused' ? 'red' : k === 'done' ? 'teal' : 'gray'}>{t(`reports.out.r.${k}` as MessageKey)}: {p[k]}</Badge>)}
          </Group>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
