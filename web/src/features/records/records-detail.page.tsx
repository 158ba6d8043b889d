import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Anchor, Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconArrowLeft from '@tabler/icons-react/dist/esm/icons/IconArrowLeft.mjs';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import IconFileExport from '@tabler/icons-react/dist/esm/icons/IconFileExport.mjs';
import IconFilePlus from '@tabler/icons-react/dist/esm/icons/IconFilePlus.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { hasAnyRole, useSession } from '../../auth/session.ts';
import { ErrorState, LoadingState } from '../../ui/states.tsx';
import { Field } from '../../ui/field.tsx';
import { AddDocumentsModal } from './add-documents-modal.tsx';
import { KeepCard } from './records-keep-card.tsx';
import { ConstructionLine } from './records-construction.tsx';
import { fileExportUrl, recordsKeys, retentionLabel, STATUS_COLOR, type FiledDocument, type FileStatus, type HandOverState, type RecordsFileDetail } from './records-api.ts';
import { recordsFileQuery } from './records.queries.ts';
import { AccessHistoryCard } from '../documents/access-history-card.tsx';

/** Incoming documents whose handling has ended (the server's FINISHED_INCOMING, records.status.ts). */
const FINISHED_INCOMING: readonly string[] = ['done', 'recalled'];

/** One work file: its metadata (Phụ lục VI, mục III), the mục lục văn bản, and close / reopen / hand over. */
export default function RecordsDetailPage() {
  const { id = '' } = useParams();
  const detail = useQuery(recordsFileQuery(id));
  if (detail.isPending) return <LoadingState />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  return <FileView d={detail.data.data} />;
}

function FileView({ d }: { d: RecordsFileDetail }) {
  const { t, date } = useI18n();
  const f = d.file;
  // kept when the file is closed; while it is open, the first and last of its documents' dates so far
  const known = d.documents.map((doc) => doc.documentDate).filter((x): x is string => !!x).sort();
  const dates = f.startDate ? [f.startDate, f.endDate] : known.length > 0 ? [known[0], known[known.length - 1]] : null;
  return (
    <Stack gap="md" maw={1100}>
      <Anchor component={Link} to="/records" size="sm" style={{ alignSelf: 'flex-start' }}>
        <Group gap={4}><IconArrowLeft size={16} />{t('records.back')}</Group>
      </Anchor>
      <div>
        <Group gap={6} mb={6}>
          <Badge variant="light" color={STATUS_COLOR[f.status] ?? 'gray'} data-testid="records-status">{t(`records.status.${f.status as FileStatus}`)}</Badge>
          <Badge variant="light" color="gray">{retentionLabel(t, f.retention)}</Badge>
        </Group>
        <Title order={2} fz={{ base: 20, sm: 24 }} style={{ overflowWrap: 'anywhere' }}>{f.notation} — {f.title}</Title>
        {f.description && <Text c="dimmed" size="sm" mt={4}>{f.description}</Text>}
      </div>
      {f.status === 'handed_over' && <HandedOverNote f={f} />}
      {f.status === 'closed' && f.handOverDueDate && <HandOverDueNote dueDate={f.handOverDueDate} state={f.handOverState} canHandOver={d.can['records.file.hand_over'] ?? false} />}
      <ConstructionLine d={d} />
      <KeepCard d={d} />
      <FileActions d={d} />
      <Card withBorder radius="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" verticalSpacing="xs">
          <Field label={t('records.fileCode')} value={f.fileCode} />
          <Field label={t('records.retention')} value={retentionLabel(t, f.retention)} />
          <Field label={t('records.owner')} value={f.ownerName ?? '—'} />
          <Field label={t('records.unit')} value={f.unitName ?? '—'} />
          <Field label={t('records.dates')} value={dates ? `${date(dates[0])} – ${date(dates[1])}` : '—'} />
          <Field label={t('records.docTotal')} value={f.status === 'open' ? String(f.documentCount) : `${f.docTotal} · ${t('records.pageTotal')}: ${f.pageTotal}`} />
        </SimpleGrid>
      </Card>
      <DocumentList d={d} />
    </Stack>
  );
}

/**
 * A handed-over file: when and by whom, then its đợt nộp lưu — the biên bản's number, whether the agency archive has
 * received it yet (and who), and the biên bản to download — so the keeper need not look for the batch. Someone who may
 * see the file but not its batch (the batch's own rule answers 404) reads the first line only.
 */
function HandedOverNote({ f }: { f: RecordsFileDetail['file'] }) {
  const { t, date } = useI18n();
  const batchId = f.handOverBatchId;
  const batch = useQuery({
    queryKey: recordsKeys.batch(batchId ?? ''),
    queryFn: () => unwrap(api.records['hand-over-batches'][':id'].$get({ param: { id: batchId ?? '' } })),
    enabled: !!batchId,
    retry: false,
  });
  const b = batch.data?.data.batch;
  return (
    <Alert color="grape" variant="light" data-testid="records-handed-over">
      <Stack gap={6}>
        <Text size="sm">{t('records.handedOver', { date: date(f.handedOverAt), name: f.handedOverByName ?? '' })}. {t('records.readOnly')}</Text>
        {b && (
          <>
            <Text size="sm" fw={600}>
              {t('records.batch.minutesNumber', { number: b.minutesNumber })} · {b.receivedAt
                ? t('records.handedOver.received', { name: b.receivedByName ?? '', date: date(b.receivedAt) })
                : t('records.handedOver.waiting')}
            </Text>
            <Group gap="xs">
              <Button component="a" href={`/api/records/hand-over-batches/${b.id}/minutes.pdf`} size="compact-sm" variant="light" color="grape"
                leftSection={<IconDownload size={14} />}>{t('records.batch.minutes')}</Button>
              <Button component={Link} to={`/records/hand-over?tab=${b.receivedAt ? 'received' : 'waiting'}`} size="compact-sm" variant="subtle" color="grape">{t('records.handedOver.batches')}</Button>
            </Group>
          </>
        )}
      </Stack>
    </Alert>
  );
}

/** A closed file's hand-over date (ND 30 Art. 30.2.b: within a year of closing), in orange when it is near and red once past. */
function HandOverDueNote({ dueDate, state, canHandOver }: { dueDate: string; state: HandOverState | null; canHandOver: boolean }) {
  const { t, date } = useI18n();
  const text = `${t('records.handOverDue.on', { date: date(dueDate) })}${state === 'overdue' ? ` — ${t('records.handOverDue.overdue').toLowerCase()}` : ''}.`;
  if (!state) return <Text size="sm" c="dimmed" data-testid="records-due-note">{text}</Text>;
  return (
    <Alert color={state === 'overdue' ? 'red' : 'orange'} variant="light" data-testid="records-due-note">
      {text} {canHandOver && t('records.handOverDue.act')}
    </Alert>
  );
}

type Action = { key: 'close' | 'reopen' | 'handOver'; can: boolean; label: MessageKey; confirm?: MessageKey; run: () => Promise<unknown>; variant?: string };

/** Close (kết thúc), reopen and hand over (nộp lưu), each as the server's `can` block allows, with a confirmation. */
function FileActions({ d }: { d: RecordsFileDetail }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const param = { param: { id: d.file.id } };
  const user = useSession().data?.user;
  const isArchivist = !!user && hasAnyRole(user, ['archivist']);
  const actions: Action[] = [
    { key: 'close', can: d.can['records.file.close'] ?? false, label: 'records.close', confirm: 'records.close.confirm', run: () => unwrap(api.records.files[':id'].close.$post(param)) },
    // the archivist takes the file in (tiếp nhận); the clerk hands it over (nộp lưu) for the unit
    { key: 'handOver', can: d.can['records.file.hand_over'] ?? false, label: isArchivist ? 'records.receive' : 'records.handOver', confirm: isArchivist ? 'records.receive.confirm' : 'records.handOver.confirm', run: () => unwrap(api.records.files[':id']['hand-over'].$post(param)) },
    { key: 'reopen', can: d.can['records.file.reopen'] ?? false, label: 'records.reopen', run: () => unwrap(api.records.files[':id'].reopen.$post(param)), variant: 'default' },
  ];
  const [asking, setAsking] = useState<Action | null>(null);
  const run = useMutation({
    mutationFn: (a: Action) => a.run(),
    onSuccess: () => {
      setAsking(null);
      void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
    },
  });
  const shown = actions.filter((a) => a.can);
  if (shown.length === 0) return null;
  return (
    <>
      <Group gap="sm">
        {shown.map((a) => (
          <Button key={a.key} variant={a.variant ?? 'filled'} loading={run.isPending && run.variables?.key === a.key}
            onClick={() => (a.confirm ? setAsking(a) : run.mutate(a))} data-testid={`records-${a.key}`}>{t(a.label)}</Button>
        ))}
      </Group>
      {run.isError && !asking && <Alert color="red">{errorMessage(run.error, t)}</Alert>}
      <Modal opened={!!asking} onClose={() => { setAsking(null); run.reset(); }} title={asking ? t(asking.label) : ''} centered>
        <Stack>
          {asking?.confirm && <Text size="sm">{t(asking.confirm)}</Text>}
          {run.isError && <Alert color="red">{errorMessage(run.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => { setAsking(null); run.reset(); }}>{t('app.cancel')}</Button>
            <Button onClick={() => asking && run.mutate(asking)} loading={run.isPending} data-testid="records-confirm">{t('records.confirm')}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** The mục lục văn bản trong hồ sơ: STT, số/ký hiệu, date, type and subject, author, pages — as cards that read on a phone. */
function DocumentList({ d }: { d: RecordsFileDetail }) {
  const { t } = useI18n();
  const canEdit = d.can['records.file.edit'] ?? false;
  const [isAdding, setAdding] = useState(false);
  return (
    <Stack gap="xs">
      <Group justify="space-between" gap="xs">
        <Title order={3} fz="lg">{t('records.documents')}</Title>
        <Group gap="xs">
          {canEdit && <Button size="compact-sm" leftSection={<IconFilePlus size={14} />} onClick={() => setAdding(true)} data-testid="records-add">{t('records.add')}</Button>}
          {d.documents.length > 0 && (
            <>
              <Button component="a" href={`/api/records/files/${d.file.id}/index`} size="compact-sm" variant="light" leftSection={<IconDownload size={14} />}>{t('records.index.pdf')}</Button>
              <Button component="a" href={`/api/records/files/${d.file.id}/index?format=xlsx`} size="compact-sm" variant="default">XLSX</Button>
              <Button component="a" href={fileExportUrl(d.file.id, 'pdf')} download size="compact-sm" variant="light" leftSection={<IconFileExport size={14} />} title={t('records.export.hint')} data-testid="records-export-pdf">{t('records.export.pdf')}</Button>
              <Button component="a" href={fileExportUrl(d.file.id, 'xml')} download size="compact-sm" variant="default" leftSection={<IconFileExport size={14} />} title={t('records.export.hint')} data-testid="records-export-xml">{t('records.export.xml')}</Button>
            </>
          )}
        </Group>
      </Group>
      {d.documents.length === 0 ? <Card withBorder radius="md"><Text c="dimmed" size="sm">{t(canEdit ? 'records.documents.emptyEdit' : 'records.documents.empty')}</Text></Card>
        : <Stack gap="xs" data-testid="records-documents">{d.documents.map((doc) => <DocumentRow key={doc.id} fileId={d.file.id} doc={doc} canEdit={canEdit} />)}</Stack>}
      {canEdit && <AddDocumentsModal fileId={d.file.id} opened={isAdding} onClose={() => setAdding(false)} />}
      {d.can['access.view_history'] && <AccessHistoryCard entityType="records_file" id={d.file.id} />}
    </Stack>
  );
}

function DocumentRow({ fileId, doc, canEdit }: { fileId: string; doc: FiledDocument; canEdit: boolean }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [isAsking, setAsking] = useState(false);
  const remove = useMutation({
    mutationFn: () => unwrap(api.records.files[':id'].documents[':ownerType'][':ownerId'].$delete({ param: { id: fileId, ownerType: doc.ownerType, ownerId: doc.ownerId } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: recordsKeys.all }),
  });
  const subject = doc.subject ?? t('records.doc.secret');
  // an incoming document still being handled keeps the file from closing: say so on its line
  const isUnfinished = doc.ownerType === 'incoming' && !FINISHED_INCOMING.includes(doc.status);
  return (
    <Card withBorder radius="md" padding="sm">
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <Text fw={700} c="dimmed" w={28} ta="right">{doc.ordinal}</Text>
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          {doc.canOpen ? <Anchor component={Link} to={`/${doc.ownerType}/${doc.ownerId}`} fw={600} style={{ overflowWrap: 'anywhere' }}>{subject}</Anchor>
            : <Text fw={600} c={doc.subject === null ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>{subject}</Text>}
          <Text size="sm" c="dimmed">
            {[t(doc.ownerType === 'incoming' ? 'records.doc.incoming' : 'records.doc.outgoing'), doc.typeName, doc.number, date(doc.documentDate), doc.author,
              doc.pageCount ? t('records.doc.pages', { n: doc.pageCount }) : ''].filter(Boolean).join(' · ')}
          </Text>
          {(isUnfinished || canEdit) && (
            <Group gap="xs" mt={2}>
              {isUnfinished && <Badge size="sm" variant="light" color="yellow" data-testid="records-doc-unfinished">{t(`incoming.status.${doc.status}` as MessageKey)}</Badge>}
              {canEdit && <Button size="compact-xs" variant="subtle" color="red" px={4} onClick={() => setAsking(true)} loading={remove.isPending}>{t('records.doc.remove')}</Button>}
            </Group>
          )}
          {remove.isError && <Alert color="red" mt={4}>{errorMessage(remove.error, t)}</Alert>}
        </Stack>
      </Group>
      <Modal opened={isAsking} onClose={() => setAsking(false)} title={t('records.doc.remove')} centered>
        <Stack>
          <Text size="sm">{t('records.doc.removeConfirm')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>{t('app.cancel')}</Button>
            <Button color="red" onClick={() => { setAsking(false); remove.mutate(); }}>{t('records.doc.remove')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
