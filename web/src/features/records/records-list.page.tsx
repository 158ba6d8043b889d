import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Badge, Button, Card, Group, Modal, SegmentedControl, Select, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import IconFolderPlus from '@tabler/icons-react/dist/esm/icons/IconFolderPlus.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { yearInVietnam } from '../../i18n/format.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { hasAnyRole, useSession, type Role } from '../../auth/session.ts';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { KeptList } from './records-kept-list.tsx';
import {
  FILE_KEEPER_ROLES, fetchHandOverDue, fetchPlan, HAND_OVER_ROLES, KEPT_LIST_ROLES, recordsKeys, retentionLabel, RETENTIONS, STATUS_COLOR,
  type FileStatus, type RecordsFileItem, type Retention, type Scope,
} from './records-api.ts';

const SCOPES: { scope: Scope; label: MessageKey }[] = [
  { scope: 'mine', label: 'records.scope.mine' },
  { scope: 'unit', label: 'records.scope.unit' },
  { scope: 'agency', label: 'records.scope.agency' },
];
/** The roles the server lets see every file of the agency (policy records.file.view). */
const AGENCY_WIDE: readonly Role[] = ['clerk', 'leader', 'archivist'];
const STATUSES = ['open', 'closed', 'handed_over'] as const;

/**
 * My files, my unit's and (clerks, leaders, archivists) the agency's, by year, status and words; open a
 * new one. The filters live in the address (?scope=agency&status=closed&year=all&q=…) so the home page
 * links straight to, say, the files waiting to be handed over. The archivist, who keeps no files, starts
 * on the agency's.
 */
export default function RecordsListPage() {
  const { t } = useI18n();
  const session = useSession().data;
  const user = session?.user;
  const [params, setParams] = useSearchParams();
  const canKeep = !!user && hasAnyRole(user, FILE_KEEPER_ROLES);
  const scopes = SCOPES.filter((s) => (s.scope === 'unit' ? !!session?.unit : s.scope === 'agency' ? !!user && hasAnyRole(user, AGENCY_WIDE) : canKeep));
  const scope = (scopes.find((s) => s.scope === params.get('scope'))?.scope ?? (canKeep ? 'mine' : scopes.find((s) => s.scope === 'agency')?.scope ?? scopes[0]?.scope ?? 'mine')) satisfies Scope;
  const yearParam = params.get('year');
  const year = yearParam === 'all' ? null : Number(yearParam) || yearInVietnam();
  const status = STATUSES.find((s) => s === params.get('status')) ?? null;
  const isDue = params.get('handOver') === 'due';
  const canSeeKept = !!user && hasAnyRole(user, KEPT_LIST_ROLES);
  const isKept = canSeeKept && params.get('kept') === '1';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const setParam = (key: string, value: string | null) => setParams((p) => {
    const next = new URLSearchParams(p);
    if (value === null || value === '') next.delete(key); else next.set(key, value);
    return next;
  }, { replace: true });
  useEffect(() => setParam('q', q), [q]); // the typed words join the address once they settle
  const [isOpening, setOpening] = useState(false);
  // due files were mostly opened in an earlier year: the filter looks at every year
  const setDue = (on: boolean) => setParams((p) => {
    const next = new URLSearchParams(p);
    if (on) { next.set('handOver', 'due'); next.set('year', 'all'); } else next.delete('handOver');
    return next;
  }, { replace: true });
  const query = { scope, ...(year && { year: String(year) }), ...(status && { status }), ...(q && { q }), ...(isDue && { handOver: 'due' as const }) };
  const list = useQuery({
    queryKey: recordsKeys.list(scope, year, status, q, isDue),
    queryFn: () => unwrap(api.records.files.$get({ query })),
    placeholderData: keepPreviousData,
  });
  const years = Array.from({ length: 6 }, (_, i) => String(yearInVietnam() - i));
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('records.title')} subtitle={t('records.subtitle')}
        actions={canKeep && <Button leftSection={<IconFolderPlus size={16} />} onClick={() => setOpening(true)}>{t('records.open')}</Button>} />
      <Tabs value={scope} onChange={(v) => v && setParam('scope', v)}>
        <Tabs.List>{scopes.map((s) => <Tabs.Tab key={s.scope} value={s.scope}>{t(s.label)}</Tabs.Tab>)}</Tabs.List>
      </Tabs>
      <Group gap="sm" wrap="wrap">
        <TextInput style={{ flex: '1 1 16rem' }} leftSection={<IconSearch size={16} />} placeholder={t('records.search')} aria-label={t('records.search')}
          value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        <Select aria-label={t('records.year')} w={120} data={years} value={year ? String(year) : null} onChange={(v) => setParam('year', v ?? 'all')} clearable placeholder={t('records.year.all')} />
        <Select aria-label={t('records.status')} w={200} value={status} onChange={(v) => setParam('status', v)} clearable placeholder={t('records.status.any')}
          data={STATUSES.map((s) => ({ value: s, label: t(`records.status.${s}`) }))} />
        <Button variant={isDue ? 'filled' : 'default'} color="orange" aria-pressed={isDue} title={t('records.handOverDue.help')}
          onClick={() => setDue(!isDue)} data-testid="records-due-filter">{t('records.handOverDue.filter')}</Button>
        <Button component={Link} to="/records/hand-over" variant="default" color="grape" data-testid="records-batch-link">{t('records.batch.open')}</Button>
        {canSeeKept && (
          <Button variant={isKept ? 'filled' : 'default'} color="teal" aria-pressed={isKept} title={t('records.kept.help')}
            onClick={() => setParam('kept', isKept ? null : '1')} data-testid="records-kept-filter">{t('records.kept.filter')}</Button>
        )}
      </Group>
      {isKept ? <KeptList year={year} /> : <>
      {isDue ? <Text size="sm" c="dimmed">{t('records.handOverDue.help')}</Text> : <HandOverDueAlert onShow={(dueScope) => setParams({ scope: dueScope, year: 'all', handOver: 'due' }, { replace: true })} />}
      {list.isPending ? <LoadingState /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.data.data.length === 0 ? (
        <Card withBorder radius="md" py="xl" data-testid="records-empty">
          <Text ta="center" c="dimmed">{t(q ? 'records.empty.search' : scope === 'mine' && canKeep ? 'records.empty.mine' : 'records.empty')}</Text>
        </Card>
      ) : (
        <>
          <Stack gap="xs" data-testid="records-list">{list.data.data.map((f) => <FileCard key={f.id} file={f} />)}</Stack>
          <CatalogLinks query={query} isArchive={status === 'handed_over'} />
        </>
      )}
      </>}
      {canKeep && <OpenFileModal opened={isOpening} onClose={() => setOpening(false)} />}
    </Stack>
  );
}

/** The mục lục hồ sơ of the list shown (of the files handed over: the one the archive keeps with them), to print or as XLSX. */
function CatalogLinks({ query, isArchive }: { query: Record<string, string>; isArchive: boolean }) {
  const { t } = useI18n();
  const href = (format: 'pdf' | 'xlsx') => `/api/records/files/catalog?${new URLSearchParams({ ...query, format })}`;
  return (
    <Group gap="xs">
      <Button component="a" href={href('pdf')} size="compact-sm" variant="light" leftSection={<IconDownload size={14} />} data-testid="records-catalog-pdf">
        {t(isArchive ? 'records.catalog.archive' : 'records.catalog')}
      </Button>
      <Button component="a" href={href('xlsx')} size="compact-sm" variant="default">XLSX</Button>
    </Group>
  );
}

/**
 * The closed files the user hands over that are due (or overdue) for hand-over, told on the list (the keeper
 * also gets a mail, records-hand-over.service.ts), with a tap to list them: the agency's for the clerk and
 * the archivist, the unit's for its head, else the user's own.
 */
function HandOverDueAlert({ onShow }: { onShow: (scope: Scope) => void }) {
  const { t } = useI18n();
  const session = useSession().data;
  const due = useQuery({ queryKey: recordsKeys.handOverDue, queryFn: fetchHandOverDue });
  const counts = due.data?.data;
  if (!counts || counts.due === 0 || !session) return null;
  const scope: Scope = hasAnyRole(session.user, HAND_OVER_ROLES) ? 'agency' : hasAnyRole(session.user, ['unit_head']) && session.unit ? 'unit' : 'mine';
  const overdue = counts.overdue > 0 ? t('records.handOverDue.alertOverdue', { count: counts.overdue }) : '';
  return (
    <Alert color={counts.overdue > 0 ? 'red' : 'orange'} variant="light" data-testid="records-due-alert">
      <Group justify="space-between" gap="xs">
        <Text size="sm">{t('records.handOverDue.alert', { due: counts.due, overdue })}</Text>
        <Button size="compact-sm" variant="light" color={counts.overdue > 0 ? 'red' : 'orange'} onClick={() => onShow(scope)}>{t('records.handOverDue.show')}</Button>
      </Group>
    </Alert>
  );
}

function FileCard({ file }: { file: RecordsFileItem }) {
  const { t, date } = useI18n();
  const dueState = file.handOverState;
  return (
    <Card withBorder radius="md" padding="sm" component={Link} to={`/records/${file.id}`} aria-label={file.title}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 240px' }}>
          <Text fw={600} lineClamp={2} style={{ overflowWrap: 'anywhere' }}>{file.notation} — {file.title}</Text>
          <Text size="sm" c="dimmed">
            {[file.ownerName, file.unitName, retentionLabel(t, file.retention), t('records.documents.count', { n: file.documentCount }),
              file.startDate && `${date(file.startDate)} – ${date(file.endDate)}`,
              !dueState && file.handOverDueDate && t('records.handOverDue.on', { date: date(file.handOverDueDate) })].filter(Boolean).join(' · ')}
          </Text>
        </Stack>
        <Group gap={6}>
          <Badge variant="light" color="gray">{file.year}</Badge>
          <Badge variant="light" color={STATUS_COLOR[file.status] ?? 'gray'}>{t(`records.status.${file.status as FileStatus}`)}</Badge>
          {dueState && file.handOverDueDate && (
            <Badge variant={dueState === 'overdue' ? 'filled' : 'light'} color={dueState === 'overdue' ? 'red' : 'orange'} data-testid="records-due-badge">
              {t(`records.handOverDue.${dueState}`)} · {date(file.handOverDueDate)}
            </Badge>
          )}
        </Group>
      </Group>
    </Card>
  );
}

/** Opens a file: from an entry of this year's plan not yet opened, or ad hoc with its own number, title and retention. */
function OpenFileModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const year = yearInVietnam();
  const plan = useQuery({ queryKey: recordsKeys.plan(year), queryFn: () => fetchPlan(year), enabled: opened });
  const free = (plan.data?.data.entries ?? []).filter((e) => !e.fileId);
  const [mode, setMode] = useState<'plan' | 'adhoc'>('plan');
  const [entryId, setEntryId] = useState<string | null>(null);
  const [notation, setNotation] = useState('');
  const [title, setTitle] = useState('');
  const [retention, setRetention] = useState<Retention>('10');
  const open = useMutation({
    mutationFn: () => unwrap(api.records.files.$post({ json: mode === 'plan' ? { planEntryId: entryId ?? '' } : { notation, title, retention } })),
    onSuccess: (res) => {
      void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
      onClose();
      void navigate(`/records/${res.data.id}`);
    },
  });
  const isReady = mode === 'plan' ? !!entryId : notation.trim() !== '' && title.trim() !== '';
  return (
    <Modal opened={opened} onClose={onClose} title={t('records.open.title')} centered>
      <Stack>
        <SegmentedControl fullWidth value={mode} onChange={(v) => setMode(v as 'plan' | 'adhoc')}
          data={[{ value: 'plan', label: t('records.open.fromPlan') }, { value: 'adhoc', label: t('records.open.adHoc') }]} />
        {mode === 'plan' ? (
          plan.isPending ? <LoadingState minHeight={80} /> : free.length === 0 ? <Alert color="yellow">{t('records.open.planEmpty')}</Alert> : (
            <Select label={t('records.open.planEntry', { year })} searchable value={entryId} onChange={setEntryId} comboboxProps={{ withinPortal: true }}
              data={free.map((e) => ({ value: e.id, label: `${e.notation} — ${e.title} (${retentionLabel(t, e.retention)})` }))} />
          )
        ) : (
          <>
            <TextInput label={t('records.notation')} description={t('records.notation.help')} maxLength={20} value={notation} onChange={(e) => setNotation(e.currentTarget.value)} required />
            <TextInput label={t('records.fileTitle')} maxLength={500} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
            <Select label={t('records.retention')} value={retention} onChange={(v) => v && setRetention(v as Retention)} allowDeselect={false}
              data={RETENTIONS.map((r) => ({ value: r, label: retentionLabel(t, r) }))} />
          </>
        )}
        {open.isError && <Alert color="red">{errorMessage(open.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
          <Button onClick={() => open.mutate()} loading={open.isPending} disabled={!isReady}>{t('records.open.submit')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
