import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, Anchor, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import IconArrowLeft from '@tabler/icons-react/dist/esm/icons/IconArrowLeft.mjs';
import { useI18n, hasKey } from '../../i18n/i18n.tsx';
import { api, isApiError, unwrap } from '../../api/client.ts';
import { ErrorState, LoadingState } from '../../ui/states.tsx';
import { PdfViewer } from '../documents/pdf-viewer.tsx';
import { SignaturePanel } from '../documents/signature-panel.tsx';
import { SecrecyBadge, StatusBadge, UrgencyBadge } from '../documents/document-badges.tsx';
import { displayFile, fileUrl, outgoingKeys, STATUS_TONE, verifyUrl, type OutgoingDetail } from './outgoing-api.ts';
import { outgoingDetailQuery } from './outgoing.queries.ts';
import { OutgoingActions } from './outgoing-actions.tsx';
import { HistorySection, InfoSection, RecipientsSection, StepsSection, VersionsSection } from './outgoing-sections.tsx';
import { FileDocumentCard } from '../records/file-document-card.tsx';
import { AccessHistoryCard } from '../documents/access-history-card.tsx';

/** The document page: actions, the PDF (any version), signatures, review chain, recipients' tracking and history. */
export default function OutgoingDetailPage() {
  const { id = '' } = useParams();
  const detail = useQuery({ ...outgoingDetailQuery(id), refetchInterval: 30_000 });
  if (detail.isPending) return <LoadingState />;
  if (detail.isError && isApiError(detail.error) && detail.error.code === 'outgoing.not_found') return <NotViewable />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  return <DocumentView key={id} doc={detail.data.data} can={detail.data.can} />;
}

/** A link from a notice or an old address to a document the user may not (or no longer) open: why, and the way back — no retry that cannot help. */
function NotViewable() {
  const { t } = useI18n();
  return (
    <Stack gap="md" maw={720}>
      <BackLink />
      <Alert color="gray" variant="light" title={t('outgoing.notViewable.title')} data-testid="outgoing-not-viewable">{t('outgoing.notViewable.text')}</Alert>
    </Stack>
  );
}

/**
 * Once a file is attached, for the drafter and for whoever reviews or signs the draft at its current step
 * (they are the ones who send it back): a draft without the «Số:» line cannot be numbered at issue (the
 * clerk found out only then), and one printing another ký hiệu gets that line written over — checked as
 * issuing does, once per version. Only the drafter is told to upload the file again (`canEdit`).
 */
function NumberLineNotice({ id, version, canEdit }: { id: string; version: number; canEdit: boolean }) {
  const { t } = useI18n();
  const check = useQuery({
    queryKey: [...outgoingKeys.detail(id), 'number-line', version], staleTime: Infinity,
    queryFn: () => unwrap(api.outgoing[':id']['number-line'].$get({ param: { id } })),
  });
  const line = check.data?.data;
  if (!line) return null;
  if (!line.hasNumberLine) {
    return <Alert color="yellow" variant="light" title={t('outgoing.numberLine.missing.title')} data-testid="number-line-missing">{t(canEdit ? 'outgoing.numberLine.missing' : 'outgoing.numberLine.missing.reader', { notation: line.notation ?? '' })}</Alert>;
  }
  if (line.printed) return <Alert color="yellow" variant="light" data-testid="number-line-printed">{t('outgoing.numberLine.printed', { printed: line.printed, notation: line.notation ?? '' })}</Alert>;
  return null;
}

/** «Quay lại»: back inside the app, or home when the page was opened directly (React Router numbers its history entries). */
function BackLink() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const back = () => ((window.history.state as { idx?: number } | null)?.idx ? navigate(-1) : navigate('/'));
  return (
    <Anchor component="button" type="button" size="sm" onClick={back} style={{ alignSelf: 'flex-start' }}>
      <Group gap={4}><IconArrowLeft size={16} />{t('app.back')}</Group>
    </Anchor>
  );
}

/**
 * Notices above the actions: why a draft came back (who, when, the comment — on a phone the review chain
 * is far below the PDF), signing on someone's behalf (KT.), the document this one replaces, the one replacing it.
 */
function DocumentNotices({ doc, onPage }: { doc: OutgoingDetail; onPage: (page: number) => void }) {
  const { t, date, dateTime } = useI18n();
  const link = (d: { id: string; numberText: string | null; status: string }) => {
    const statusKey = `outgoing.status.${d.status}`;
    return <Anchor component={Link} to={`/outgoing/${d.id}`} fw={600}>{d.numberText ?? t('outgoing.replace.draftOf', { status: hasKey(statusKey) ? t(statusKey) : d.status })}</Anchor>;
  };
  const onBehalf = doc.onBehalf && !doc.onBehalf.isSigned ? doc.onBehalf : null;
  const returned = doc.status === 'returned' ? lastReturn(doc) : null;
  if (!onBehalf && !returned && !doc.replaces && doc.replacedBy.length === 0) return null;
  return (
    <Stack gap="xs">
      {returned && (
        <Alert color="orange" variant="light" data-testid="returned-notice" title={t('outgoing.returned.notice', { name: returned.reviewerName, at: dateTime(returned.actedAt) })}>
          <Text size="sm" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-line' }}>{returned.comment}{returned.page ? ' ' : ''}
            {returned.page && <Anchor component="button" type="button" size="sm" onClick={() => onPage(returned.page ?? 1)}>({t('outgoing.step.page', { page: returned.page })})</Anchor>}</Text>
        </Alert>
      )}
      {onBehalf && (
        <Alert color="grape" variant="light" data-testid="on-behalf-notice">
          {t('outgoing.onBehalf.before', { position: onBehalf.signerPosition, name: onBehalf.signerName, until: onBehalf.until ? t('outgoing.onBehalf.until', { date: date(onBehalf.until) }) : '' })}
        </Alert>
      )}
      {doc.replaces && <Alert color="blue" variant="light" data-testid="replaces-link">{t('outgoing.replace.replaces', { number: '' })}{link(doc.replaces)} — {doc.replaces.subject}</Alert>}
      {doc.replacedBy.map((r) => <Alert key={r.id} color="orange" variant="light" data-testid="replaced-by-link">{t('outgoing.replace.replacedBy', { number: '' })}{link(r)} — {r.subject}</Alert>)}
    </Stack>
  );
}

/** The latest return of the document (by a reviewer, the signer or the clerk), with its comment. */
function lastReturn(doc: OutgoingDetail) {
  const returns = doc.steps.filter((s) => s.status === 'returned' && s.actedAt);
  return returns.reduce<(typeof returns)[number] | null>((last, s) => (!last || (s.actedAt ?? '') > (last.actedAt ?? '') ? s : last), null);
}

function DocumentView({ doc, can }: { doc: OutgoingDetail; can: Parameters<typeof OutgoingActions>[0]['can'] }) {
  const { t } = useI18n();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [page, setPage] = useState<number | null>(null);
  const current = displayFile(doc.files, doc.currentVersion);
  // A file chosen from the versions list wins until the document gets a newer file.
  const shown = doc.files.find((f) => f.id === chosenId) ?? current;
  const statusKey = `outgoing.status.${doc.status}`;
  return (
    <Stack gap="md" maw={1400}>
      <BackLink />
      <div>
        <Group gap={6} mb={6}>
          <StatusBadge label={hasKey(statusKey) ? t(statusKey) : doc.status} tone={STATUS_TONE[doc.status] ?? 'neutral'} testId="outgoing-status" />
          <UrgencyBadge code={doc.urgency} name={doc.urgencyName} />
          <SecrecyBadge isSecret={doc.isSecret} name={doc.secrecyName} />
        </Group>
        <Title order={2} fz={{ base: 20, sm: 24 }} style={{ overflowWrap: 'anywhere' }}>{doc.subject}</Title>
        <Text c="dimmed" size="sm" mt={4}>
          {doc.typeName}{doc.numberText ? ' · ' : ''}{doc.numberText && <Text span fw={700} c="dark" data-testid="outgoing-number">{t('outgoing.numberLabel', { number: doc.numberText })}</Text>}
        </Text>
      </div>
      <DocumentNotices doc={doc} onPage={(p) => { setChosenId(null); setPage(p); }} />
      {(can['outgoing.edit'] || can['outgoing.review'] || can['outgoing.sign']) && doc.files.some((f) => f.version === doc.currentVersion && f.kind === 'main')
        && <NumberLineNotice id={doc.id} version={doc.currentVersion} canEdit={can['outgoing.edit'] === true} />}
      <OutgoingActions doc={doc} can={can} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          {shown ? (
            <PdfViewer url={fileUrl(doc.id, shown.id)} downloadUrl={fileUrl(doc.id, shown.id, true)} printUrl={`${fileUrl(doc.id, shown.id)}?print=1`} fileName={shown.fileName} page={page} />
          ) : <Text c="dimmed" size="sm" data-testid="no-file">{t('outgoing.noFile')}</Text>}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            {shown && <SignaturePanel key={shown.id} reportUrl={verifyUrl(doc.id, shown.id)} />}
            <StepsSection doc={doc} onPage={(p) => { setChosenId(null); setPage(p); }} />
            <InfoSection doc={doc} />
            <FileDocumentCard ownerType="outgoing" ownerId={doc.id} />
            <RecipientsSection doc={doc} />
            <VersionsSection doc={doc} shownId={shown?.id} onShow={(f) => setChosenId(f.id)} />
            <HistorySection doc={doc} />
            {can['access.view_history'] && <AccessHistoryCard entityType="outgoing" id={doc.id} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
