import { Link, useParams } from 'react-router';
import { Alert, Anchor, Badge, Card, Grid, Group, List, ScrollArea, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useI18n, hasKey } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { fileUrl, incomingTitle, type IncomingDetail } from './incoming-api.ts';
import { incomingDetailQuery } from './incoming.queries.ts';
import { IncomingBadges } from './incoming-badges.tsx';
import { RecheckSignaturesButton } from './incoming-recheck.tsx';
import { SenderRequestsSection } from './incoming-requests.tsx';
import { CloseReopenForm, DirectForm, ForwardForm, ProgressForm, ReassignForm, RefuseForm, RegisterForm } from './incoming-actions.tsx';
import { FileDocumentCard } from '../records/file-document-card.tsx';
import { AccessHistoryCard } from '../documents/access-history-card.tsx';
import { SignatureReportView } from '../documents/signature-panel.tsx';
import type { IncomingVerifyReport } from '../../../../src/domain/incoming/incoming.verify.ts';
import { formatDocumentNumber } from '../../../../src/domain/registers/document-types.ts';

/** One incoming document: register entry, files, OCR and signature state, direction, participants, progress, timeline, and the actions the user may take. */
export default function IncomingDetailPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const detail = useQuery({
    ...incomingDetailQuery(id),
    // OCR and signature checks run in the background: poll until they finish
    refetchInterval: (q) => (q.state.data?.data.doc.ocrStatus === 'pending' || q.state.data?.data.doc.verifyStatus === 'pending' ? 2000 : false),
  });
  if (detail.isPending) return <LoadingState />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  const d = detail.data.data;
  const doc = d.doc;
  return (
    <Stack gap="md" maw={1200}>
      <PageHeader title={incomingTitle(doc, t)} subtitle={[doc.arrivalNumberText && `${t('incoming.arrivalNumber')} ${doc.arrivalNumberText}/${doc.arrivalYear}`, [doc.number, doc.notation].filter(Boolean).join('/'), doc.issuerName].filter(Boolean).join(' · ')} />
      <IncomingBadges doc={doc} />
      <SenderRequestsSection d={d} />
      {/* the earlier one opens: the clerk compares the two before going on */}
      {d.duplicateOf && (
        <Alert color="yellow" data-testid="incoming-duplicate">
          {t('incoming.duplicate', { n: d.duplicateOf.arrivalNumber ? formatDocumentNumber(d.duplicateOf.arrivalNumber) : '?', year: String(d.duplicateOf.arrivalYear ?? '') })}
          {' · '}<Anchor component={Link} to={`/incoming/${d.duplicateOf.id}`} size="sm">{t('incoming.duplicate.open')}</Anchor>
        </Alert>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Metadata d={d} />
            <Actions d={d} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Participants d={d} />
            <FileDocumentCard ownerType="incoming" ownerId={doc.id} />
            <ProgressLog d={d} />
            <SenderStatuses d={d} />
            <History d={d} />
            {d.can['access.view_history'] && <AccessHistoryCard entityType="incoming" id={doc.id} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Actions({ d }: { d: IncomingDetail }) {
  const { t } = useI18n();
  const doc = d.doc;
  const can = d.can;
  const isOpen = doc.status === 'assigned' || doc.status === 'in_progress';
  const mine = d.assignments.filter((a) => a.isMine && a.isActive && a.role !== 'info' && a.status !== 'done');
  // A pending recall holds the document where it is (the server answers incoming.recall_pending): no
  // register, forward, direct or re-assign form until the recall is answered in the banner above.
  const isHeld = d.requests.some((r) => r.kind === 'recall' && r.status === 'pending');
  const canRegister = can['incoming.register'] && doc.status === 'received';
  const canForward = can['incoming.forward'] && (doc.status === 'registered' || doc.status === 'forwarded');
  const canDirect = can['incoming.direct'] && ['registered', 'forwarded', 'assigned'].includes(doc.status);
  const reassignable = isOpen ? d.assignments.filter((a) => a.canReassign && a.isActive) : [];
  const isBlocked = isHeld && (canRegister || canForward || canDirect || reassignable.length > 0);
  return (
    <>
      {isBlocked && (
        <Alert color="red" variant="outline" data-testid="held-by-recall">
          {t(can['incoming.answer_request'] ? 'incoming.request.heldByRecall' : 'incoming.request.heldByRecallWait')}
        </Alert>
      )}
      {!isHeld && canRegister && <RegisterForm doc={doc} />}
      {can['incoming.refuse'] && doc.status === 'received' && doc.source !== 'paper' && <RefuseForm doc={doc} />}
      {!isHeld && canForward && <ForwardForm doc={doc} />}
      {!isHeld && canDirect && <DirectForm doc={doc} assignments={d.assignments} />}
      {!isHeld && reassignable.map((a) => <ReassignForm key={a.id} doc={doc} assignment={a} />)}
      {isOpen && mine.map((a) => <ProgressForm key={a.id} doc={doc} assignmentId={a.id} />)}
      {can['incoming.close'] && isOpen && <CloseReopenForm doc={doc} mode="close" openParts={d.assignments.filter((a) => a.isActive && a.role !== 'info' && a.status !== 'done').length} />}
      {can['incoming.reopen'] && doc.status === 'done' && <CloseReopenForm doc={doc} mode="reopen" />}
    </>
  );
}

// Only a failed signature is red: one not yet provable (its CA not trusted here) is no sign of forgery.
const VERDICT_COLOR = { valid: 'teal', invalid: 'red', unsigned: 'orange', indeterminate: 'orange' } as const;

function Metadata({ d }: { d: IncomingDetail }) {
  const { t, date, dateTime } = useI18n();
  const doc = d.doc;
  // an electronic document's PDF is read for search, OCR'd only when scanned (a copy of kind 'ocr'); before that, nothing to show
  const isElectronic = doc.source !== 'paper';
  const isOcred = d.files.some((f) => f.kind === 'ocr');
  const ocrKey = isElectronic && !isOcred && hasKey(`incoming.content.${doc.ocrStatus}`) ? `incoming.content.${doc.ocrStatus}` : `incoming.ocr.${doc.ocrStatus}`;
  const fileKey = (k: string) => (hasKey(`incoming.file.${k}`) ? t(`incoming.file.${k}` as 'incoming.file.scan') : k);
  const rows: [string, string][] = [
    [t('incoming.arrivedAt'), dateTime(doc.arrivedAt)], [t('incoming.issuer'), doc.issuerName], [t('incoming.documentDate'), date(doc.documentDate)],
    [t('incoming.signerName'), [doc.signerName, doc.signerPosition].filter(Boolean).join(' — ')], [t('incoming.pageCount'), String(doc.pageCount ?? '')],
    [t('incoming.dueDate'), date(doc.dueDate)], [t('incoming.notes'), doc.notes],
  ];
  const report = doc.verifyReport as VerifyReport | null;
  return (
    <Card withBorder radius="md">
      <Stack gap="sm">
        <Table><Table.Tbody>{rows.filter(([, v]) => v && v !== '—').map(([k, v]) => <Table.Tr key={k}><Table.Th w={170}>{k}</Table.Th><Table.Td>{v}</Table.Td></Table.Tr>)}</Table.Tbody></Table>
        {doc.direction && <Alert color="indigo" title={t('incoming.directionBy', { date: dateTime(doc.directedAt) })}>{doc.direction}</Alert>}
        {!(isElectronic && doc.ocrStatus === 'none') && (
          <Group gap="xs">
            <Text size="sm" fw={600}>{t(isElectronic && !isOcred ? 'incoming.content' : 'incoming.ocr')}:</Text>
            <Badge variant="light" color={doc.ocrStatus === 'done' ? 'teal' : doc.ocrStatus === 'pending' ? 'blue' : doc.ocrStatus === 'none' ? 'gray' : 'orange'} data-testid="ocr-status">
              {hasKey(ocrKey) ? t(ocrKey) : doc.ocrStatus}
            </Badge>
            {doc.ocrError && <Text size="xs" c="dimmed">{doc.ocrError}</Text>}
          </Group>
        )}
        {doc.source !== 'paper' && (
          <Group gap="xs"><Text size="sm" fw={600}>{t('incoming.verify')}:</Text>
            <Badge variant="light" color={doc.verifyStatus === 'failed' ? 'orange' : doc.verifyVerdict ? VERDICT_COLOR[doc.verifyVerdict] : 'blue'} data-testid="verify-verdict">
              {t(doc.verifyStatus === 'failed' ? 'incoming.verify.failed' : doc.verifyVerdict ? `incoming.verify.${doc.verifyVerdict}` : doc.verifyReport ? 'incoming.verify.rechecking' : 'incoming.verify.pending')}
            </Badge>
            {(doc.verifyStatus === 'done' || doc.verifyStatus === 'failed') && <RecheckSignaturesButton id={doc.id} />}
          </Group>
        )}
        {doc.verifyStatus === 'done' && <FileSignatures report={report} />}
        <Title order={5}>{t('incoming.files')}</Title>
        <List size="sm">{d.files.map((f) => (
          <List.Item key={f.id}>
            <Anchor href={fileUrl(doc.id, f.id)} target="_blank">{f.fileName}</Anchor> <Text span size="xs" c="dimmed">({fileKey(f.kind)})</Text>
            {f.contentType === 'application/pdf' && <> · <Anchor size="sm" href={`${fileUrl(doc.id, f.id)}?print=1`} target="_blank" title={t('doc.pdf.print')}>{t('doc.pdf.printShort')}</Anchor></>}
          </List.Item>
        ))}</List>
        {doc.ocrText && (
          <details><summary><Text span size="sm">{t(isElectronic && !isOcred ? 'incoming.contentText' : 'incoming.ocrText')}</Text></summary>
            <ScrollArea.Autosize mah={240}><Text size="xs" style={{ whiteSpace: 'pre-wrap' }} data-testid="ocr-text">{doc.ocrText}</Text></ScrollArea.Autosize>
          </details>
        )}
      </Stack>
    </Card>
  );
}

type VerifyReport = { isAllValid?: boolean; files?: { fileId: string; fileName: string; report: IncomingVerifyReport }[] };

// Who signed each received PDF, when, and whether each signature holds — what the clerk checks before registering.
function FileSignatures({ report }: { report: VerifyReport | null }) {
  const files = report?.files ?? [];
  if (files.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="incoming-signatures">
      {files.map((f) => (
        <div key={f.fileId}>
          {files.length > 1 && <Text size="sm" fw={600} mb={4} style={{ overflowWrap: 'anywhere' }}>{f.fileName}</Text>}
          {f.report.report ? <SignatureReportView report={f.report.report} /> : <Text size="sm" c="red">{f.report.summary}</Text>}
        </div>
      ))}
    </Stack>
  );
}

function Participants({ d }: { d: IncomingDetail }) {
  const { t, date } = useI18n();
  const active = d.assignments.filter((a) => a.isActive);
  if (active.length === 0) return null;
  const role = (r: string) => (r === 'lead' ? t('incoming.lead') : r === 'support' ? t('incoming.support') : t('incoming.info'));
  // a document closed (or taken out) with a part never marked done: that part is not being handled any more
  const isEnded = ['done', 'recalled', 'refused'].includes(d.doc.status);
  const partKey = (s: string) => (isEnded && s !== 'done' ? t('incoming.part.unfinished') : hasKey(`incoming.part.${s}`) ? t(`incoming.part.${s}` as 'incoming.part.done') : s);
  return (
    <Card withBorder radius="md" data-testid="incoming-participants">
      <Title order={5} mb="xs">{t('incoming.participants')}</Title>
      <Stack gap={6}>
        {active.map((a) => (
          <Group key={a.id} justify="space-between" wrap="nowrap" gap="xs" pl={a.parentId ? 'md' : 0}>
            <Text size="sm" style={{ minWidth: 0 }}>{a.unitName ?? a.userName} <Text span size="xs" c="dimmed">— {role(a.role)}{a.deadline ? ` · ${t('incoming.part.deadline', { date: date(a.deadline) })}` : ''}</Text></Text>
            {/* the status keeps its whole text on a phone; the name wraps instead */}
            <Badge size="sm" variant="light" color={a.status === 'done' ? 'teal' : a.status === 'in_progress' && !isEnded ? 'cyan' : 'gray'} style={{ flex: 'none' }}>{partKey(a.status)}</Badge>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

function ProgressLog({ d }: { d: IncomingDetail }) {
  const { t, dateTime } = useI18n();
  if (d.progress.length === 0) return null;
  return (
    <Card withBorder radius="md">
      <Title order={5} mb="xs">{t('incoming.progressLog')}</Title>
      <Stack gap="xs">
        {d.progress.map((p) => (
          <div key={p.id}>
            <Text size="xs" c="dimmed">{dateTime(p.createdAt)} · {p.authorName}</Text>
            <Text size="sm">{p.text}{p.responseNotation ? ` — ${t('incoming.progress.response')}: ${p.responseNotation}` : ''}</Text>
            {p.fileId && <Anchor size="sm" href={fileUrl(d.doc.id, p.fileId)} target="_blank">{p.fileName}</Anchor>}
          </div>
        ))}
      </Stack>
    </Card>
  );
}

function SenderStatuses({ d }: { d: IncomingDetail }) {
  const { t, dateTime } = useI18n();
  if (d.statuses.length === 0) return null;
  return (
    <Card withBorder radius="md">
      <Title order={5} mb="xs">{t('incoming.senderStatuses')}</Title>
      <Stack gap={4}>{d.statuses.map((s, i) => <Text key={i} size="sm" component="div"><Badge size="sm" mr={6}>{s.code}</Badge>{s.description} · {dateTime(s.at)}</Text>)}</Stack>
    </Card>
  );
}

type TimelineEvent = IncomingDetail['timeline'][number];
const text = (v: unknown) => (typeof v === 'string' ? v : '');

// What each step was about, from its audit data: to whom it went, which number, the reason given.
function eventDetail(e: TimelineEvent, t: ReturnType<typeof useI18n>['t']): string {
  const data = (e.data ?? {}) as Record<string, unknown>;
  switch (e.type) {
    case 'INCOMING_RECEIVED': return Array.isArray(data.files) ? data.files.map(text).join(', ') : '';
    case 'INCOMING_REGISTERED': return typeof data.arrivalNumber === 'number' ? `${t('incoming.arrivalNumber')} ${formatDocumentNumber(data.arrivalNumber)}/${String(data.year ?? '')}` : '';
    case 'INCOMING_FORWARDED': return text(data.leaderName);
    case 'INCOMING_FILE_READ': return text(data.fileName);
    case 'INCOMING_REFUSED': case 'INCOMING_REOPENED': return text(data.reason);
    case 'INCOMING_CLOSED': return text(data.note);
    default: return '';
  }
}

function History({ d }: { d: IncomingDetail }) {
  const { t, dateTime } = useI18n();
  return (
    <Card withBorder radius="md">
      <Title order={5} mb="xs">{t('incoming.timeline')}</Title>
      <Timeline bulletSize={12} lineWidth={2} data-testid="incoming-timeline">
        {d.timeline.map((e) => {
          const key = `auditEvent.${e.type}`;
          const detail = eventDetail(e, t);
          return (
            <Timeline.Item key={e.id} title={<Text size="sm">{hasKey(key) ? t(key) : e.type}</Text>}>
              {detail && <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{detail}</Text>}
              <Text size="xs" c="dimmed">{e.isSystem ? t('incoming.timeline.system') : e.actorName} · {dateTime(e.at)}</Text>
            </Timeline.Item>
          );
        })}
      </Timeline>
    </Card>
  );
}
