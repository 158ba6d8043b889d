import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Badge, Button, Card, Checkbox, Group, Modal, Stack, Tabs, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { hasAnyRole, useSession } from '../../auth/session.ts';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { HAND_OVER_ROLES, recordsKeys, retentionLabel, type RecordsFileItem, type Scope } from './records-api.ts';

/** The most pressing first: overdue, then due soon, then the rest by hand-over date (none last). */
const STATE_RANK: Record<string, number> = { overdue: 0, due_soon: 1 };
const pressing = (a: RecordsFileItem, b: RecordsFileItem) => (STATE_RANK[a.handOverState ?? ''] ?? 2) - (STATE_RANK[b.handOverState ?? ''] ?? 2)
  || (a.handOverDueDate ?? '9999').localeCompare(b.handOverDueDate ?? '9999') || a.notation.localeCompare(b.notation, 'vi', { numeric: true });

/**
 * Nộp lưu hồ sơ (ND 30 Art. 30.3): the closed files the user hands over, due and overdue first, chosen together and
 * handed over as one batch (đợt nộp lưu) of one unit; then the batches, waiting for the archive («Chờ tiếp nhận»)
 * or received, each with its Mục lục hồ sơ, tài liệu nộp lưu and Biên bản giao nhận, and «Tiếp nhận» for the archivist.
 */
export default function RecordsHandOverPage() {
  const { t } = useI18n();
  const session = useSession().data;
  const user = session?.user;
  const isArchivist = !!user && hasAnyRole(user, ['archivist']);
  const scope: Scope = user && hasAnyRole(user, HAND_OVER_ROLES) ? 'agency' : user && hasAnyRole(user, ['unit_head']) && session?.unit ? 'unit' : 'mine';
  // the tab is in the address (?tab=waiting), so a file's page can link to its batch and the back button works
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab = asked && TABS.includes(asked as Tab) ? asked as Tab : isArchivist ? 'waiting' : 'files';
  const show = (next: Tab) => setParams(next === (isArchivist ? 'waiting' : 'files') ? {} : { tab: next }, { replace: true });
  // what was just done, said above the tabs: the list it came from may now be empty
  const [done, setDone] = useState<Done | null>(null);
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('records.batch.title')} subtitle={t('records.batch.subtitle')}
        actions={<Button component={Link} to="/records" variant="default">{t('records.batch.back')}</Button>} />
      {done && (
        <Alert color="green" withCloseButton closeButtonLabel={t('app.close')} onClose={() => setDone(null)} data-testid="records-batch-done">
          <Stack gap={6} align="flex-start">
            <Text size="sm">{done.kind === 'handedOver' ? t('records.batch.done', { n: done.n }) : t('records.batch.receivedDone', { number: done.number, n: done.n })}</Text>
            {tab !== done.tab && <Button size="compact-sm" variant="light" color="green" onClick={() => show(done.tab)}>{t(`records.batch.see.${done.tab}`)}</Button>}
          </Stack>
        </Alert>
      )}
      <Tabs value={tab} onChange={(v) => v && show(v as Tab)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="files">{t('records.batch.tab.files')}</Tabs.Tab>
          <Tabs.Tab value="waiting">{t('records.batch.tab.waiting')}</Tabs.Tab>
          <Tabs.Tab value="received">{t('records.batch.tab.received')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="files" pt="md"><ClosedFiles scope={scope} onDone={setDone} /></Tabs.Panel>
        <Tabs.Panel value="waiting" pt="md"><Batches status="waiting" onDone={setDone} /></Tabs.Panel>
        <Tabs.Panel value="received" pt="md"><Batches status="received" onDone={setDone} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

const TABS = ['files', 'waiting', 'received'] as const;
type Tab = (typeof TABS)[number];
/** A batch just handed over (its files now wait in «Chờ tiếp nhận») or just received (now in «Đã tiếp nhận»). */
type Done = { kind: 'handedOver'; n: number; tab: Tab } | { kind: 'received'; number: string; n: number; tab: Tab };

/** The closed files the user may hand over, with a box each; one unit per batch, so boxes of another unit's files are off once one is ticked. */
function ClosedFiles({ scope, onDone }: { scope: Scope; onDone: (d: Done) => void }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const files = useQuery({
    queryKey: [...recordsKeys.list(scope, null, 'closed'), 'hand-over'],
    queryFn: () => unwrap(api.records.files.$get({ query: { scope, status: 'closed' } })),
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const [isConfirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const list = [...(files.data?.data ?? [])].sort(pressing);
  const unitOfChoice = list.find((f) => chosen.includes(f.id))?.unitId;
  const handOver = useMutation({
    mutationFn: () => unwrap(api.records['hand-over-batches'].$post({ json: { fileIds: chosen, note } })),
    onSuccess: () => {
      onDone({ kind: 'handedOver', n: chosen.length, tab: 'waiting' });
      setChosen([]);
      setNote('');
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
    },
  });
  if (files.isPending) return <LoadingState />;
  if (files.isError) return <ErrorState error={files.error} onRetry={() => void files.refetch()} />;
  if (list.length === 0) return <Card withBorder radius="md" py="xl"><Text ta="center" c="dimmed">{t('records.batch.noClosed')}</Text></Card>;
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  return (
    <Stack gap="xs" data-testid="records-hand-over-files">
      <Text size="sm" c="dimmed">{t('records.batch.help')}</Text>
      {list.map((f) => {
        const isOtherUnit = unitOfChoice !== undefined && f.unitId !== unitOfChoice;
        return (
          <Card key={f.id} withBorder radius="md" padding="sm">
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Checkbox mt={4} checked={chosen.includes(f.id)} disabled={isOtherUnit} onChange={() => toggle(f.id)} aria-label={`${f.notation} — ${f.title}`} />
              <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                <Text fw={600} component={Link} to={`/records/${f.id}`} style={{ overflowWrap: 'anywhere' }}>{f.notation} — {f.title}</Text>
                <Text size="sm" c="dimmed">{[f.unitName, f.ownerName, retentionLabel(t, f.retention), f.startDate && `${date(f.startDate)} – ${date(f.endDate)}`].filter(Boolean).join(' · ')}</Text>
              </Stack>
              {f.handOverState && f.handOverDueDate && (
                <Badge variant={f.handOverState === 'overdue' ? 'filled' : 'light'} color={f.handOverState === 'overdue' ? 'red' : 'orange'}>
                  {t(`records.handOverDue.${f.handOverState}`)} · {date(f.handOverDueDate)}
                </Badge>
              )}
            </Group>
          </Card>
        );
      })}
      <Group justify="flex-end">
        <Button disabled={chosen.length === 0} onClick={() => setConfirming(true)} data-testid="records-batch-submit">{t('records.batch.submit', { n: chosen.length })}</Button>
      </Group>
      <Modal opened={isConfirming} onClose={() => setConfirming(false)} title={t('records.batch.confirm.title')} centered>
        <Stack>
          <Text size="sm">{t('records.batch.confirm.text', { n: chosen.length })}</Text>
          <Textarea label={t('records.batch.note')} maxLength={1000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {handOver.isError && <Alert color="red">{errorMessage(handOver.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>{t('app.cancel')}</Button>
            <Button onClick={() => handOver.mutate()} loading={handOver.isPending}>{t('records.batch.confirm.submit')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** The batches the user may see, waiting or received, with their papers to download and, for the archivist, «Tiếp nhận». */
function Batches({ status, onDone }: { status: 'waiting' | 'received'; onDone: (d: Done) => void }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const session = useSession().data;
  const isArchivist = !!session && hasAnyRole(session.user, ['archivist']);
  const batches = useQuery({ queryKey: recordsKeys.batches(status), queryFn: () => unwrap(api.records['hand-over-batches'].$get({ query: { status } })) });
  // «Tiếp nhận» asks first: the archivist's name goes into the biên bản as Bên nhận, once and for good
  const [asking, setAsking] = useState<TBatch | null>(null);
  const receive = useMutation({
    mutationFn: (b: TBatch) => unwrap(api.records['hand-over-batches'][':id'].receive.$post({ param: { id: b.id } })),
    onSuccess: (_, b) => {
      setAsking(null);
      onDone({ kind: 'received', number: b.minutesNumber, n: b.fileCount, tab: 'received' });
      void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
    },
  });
  if (batches.isPending) return <LoadingState />;
  if (batches.isError) return <ErrorState error={batches.error} onRetry={() => void batches.refetch()} />;
  if (batches.data.data.length === 0) return <Card withBorder radius="md" py="xl"><Text ta="center" c="dimmed">{t(`records.batch.empty.${status}`)}</Text></Card>;
  const base = (id: string) => `/api/records/hand-over-batches/${id}`;
  return (
    <Stack gap="xs" data-testid={`records-batches-${status}`}>
      {batches.data.data.map((b) => (
        <Card key={b.id} withBorder radius="md" padding="sm">
          <Stack gap={4}>
            <Group justify="space-between" align="flex-start" gap="xs">
              <Text fw={600} style={{ flex: '1 1 220px' }}>{t('records.batch.line', { unit: b.unitName ?? b.agencyName, n: b.fileCount })}</Text>
              <Badge variant="light" color={b.receivedAt ? 'grape' : 'orange'}>{b.receivedAt ? t('records.batch.received') : t('records.batch.tab.waiting')}</Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {t('records.batch.minutesNumber', { number: b.minutesNumber })} · {t('records.batch.by', { name: b.handedOverByName, on: date(b.handedOverAt) })}
              {b.receivedAt && ` · ${t('records.batch.receivedBy', { name: b.receivedByName ?? '', on: date(b.receivedAt) })}`}
            </Text>
            {b.note && <Text size="sm">{b.note}</Text>}
            <Group gap="xs" wrap="wrap">
              <Button component="a" href={`${base(b.id)}/minutes.pdf`} size="compact-sm" variant="light" leftSection={<IconDownload size={14} />}>{t('records.batch.minutes')}</Button>
              <Button component="a" href={`${base(b.id)}/catalog?format=pdf`} size="compact-sm" variant="light" leftSection={<IconDownload size={14} />}>{t('records.batch.catalog')}</Button>
              <Button component="a" href={`${base(b.id)}/catalog?format=xlsx`} size="compact-sm" variant="default">XLSX</Button>
              {isArchivist && !b.receivedAt && (
                <Button size="compact-sm" color="grape" onClick={() => { receive.reset(); setAsking(b); }} data-testid="records-batch-receive">
                  {t('records.batch.receive')}
                </Button>
              )}
            </Group>
          </Stack>
        </Card>
      ))}
      <Modal opened={!!asking} onClose={() => setAsking(null)} title={t('records.batch.receive.title')} centered>
        <Stack>
          {asking && <Text size="sm">{t('records.batch.receive.confirm', { unit: asking.unitName ?? asking.agencyName, n: asking.fileCount, number: asking.minutesNumber })}</Text>}
          {receive.isError && <Alert color="red">{errorMessage(receive.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(null)}>{t('app.cancel')}</Button>
            <Button color="grape" onClick={() => asking && receive.mutate(asking)} loading={receive.isPending} data-testid="records-batch-receive-confirm">{t('records.batch.receive')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

type TBatch = InferResponseType<(typeof api.records)['hand-over-batches']['$get'], 200>['data'][number];
