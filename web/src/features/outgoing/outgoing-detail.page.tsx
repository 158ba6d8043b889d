import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Anchor, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import IconArrowLeft from '@tabler/icons-react/dist/esm/icons/IconArrowLeft.mjs';
import { useI18n, hasKey } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState } from '../../ui/states.tsx';
import { PdfViewer } from '../documents/pdf-viewer.tsx';
import { SignaturePanel } from '../documents/signature-panel.tsx';
import { SecrecyBadge, StatusBadge, UrgencyBadge } from '../documents/document-badges.tsx';
import { displayFile, fetchOutgoing, fileUrl, outgoingKeys, STATUS_TONE, verifyUrl, type OutgoingDetail } from './outgoing-api.ts';
import { OutgoingActions } from './outgoing-actions.tsx';
import { HistorySection, InfoSection, RecipientsSection, StepsSection, VersionsSection } from './outgoing-sections.tsx';

/** The document page: actions, the PDF (any version), signatures, review chain, recipients' tracking and history. */
export default function OutgoingDetailPage() {
  const { id = '' } = useParams();
  const detail = useQuery({ queryKey: outgoingKeys.detail(id), queryFn: () => fetchOutgoing(id), refetchInterval: 30_000 });
  if (detail.isPending) return <LoadingState />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  return <DocumentView key={id} doc={detail.data.data} can={detail.data.can} />;
}

function DocumentView({ doc, can }: { doc: OutgoingDetail; can: Parameters<typeof OutgoingActions>[0]['can'] }) {
  const { t } = useI18n();
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [page, setPage] = useState<number | null>(null);
  const current = displayFile(doc.files, doc.currentVersion);
  // A file chosen from the versions list wins until the document gets a newer file.
  const shown = doc.files.find((f) => f.id === chosenId) ?? current;
  const statusKey = `outgoing.status.${doc.status}`;
  const navigate = useNavigate();
  // React Router numbers its history entries: go back inside the app, or home when the page was opened directly.
  const back = () => ((window.history.state as { idx?: number } | null)?.idx ? navigate(-1) : navigate('/'));
  return (
    <Stack gap="md" maw={1400}>
      <Anchor component="button" type="button" size="sm" onClick={back} style={{ alignSelf: 'flex-start' }}>
        <Group gap={4}><IconArrowLeft size={16} />{t('app.back')}</Group>
      </Anchor>
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
      <OutgoingActions doc={doc} can={can} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          {shown ? (
            <PdfViewer url={fileUrl(doc.id, shown.id)} downloadUrl={fileUrl(doc.id, shown.id, true)} fileName={shown.fileName} page={page} />
          ) : <Text c="dimmed" size="sm" data-testid="no-file">{t('outgoing.noFile')}</Text>}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            {shown && <SignaturePanel key={shown.id} reportUrl={verifyUrl(doc.id, shown.id)} />}
            <StepsSection doc={doc} onPage={(p) => { setChosenId(null); setPage(p); }} />
            <InfoSection doc={doc} />
            <RecipientsSection doc={doc} />
            <VersionsSection doc={doc} shownId={shown?.id} onShow={(f) => setChosenId(f.id)} />
            <HistorySection doc={doc} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
