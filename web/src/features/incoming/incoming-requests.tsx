import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Badge, Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState } from '../../ui/states.tsx';
import { incomingKeys, type IncomingDetail } from './incoming-api.ts';

type SenderRequest = IncomingDetail['requests'][number];

const fetchPending = () => unwrap(api.incoming.requests.$get({ query: { status: 'pending' } }));

/**
 * The sender's recall / update requests on a document's page: a pending one as a banner with the
 * reason, the proposed changes and — for the clerk or a leader — agree / refuse with a note; answered
 * ones as one line each (who, when, note).
 */
export function SenderRequestsSection({ d }: { d: IncomingDetail }) {
  if (d.requests.length === 0) return null;
  const canAnswer = !!d.can['incoming.answer_request'];
  return (
    <Stack gap="xs" data-testid="sender-requests">
      {d.requests.map((r) => r.status === 'pending'
        ? <PendingRequest key={r.id} request={r} issuerName={d.doc.issuerName} canAnswer={canAnswer} />
        : <AnsweredRequest key={r.id} request={r} />)}
    </Stack>
  );
}

function PendingRequest({ request: r, issuerName, canAnswer }: { request: SenderRequest; issuerName: string; canAnswer: boolean }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const answer = useMutation({
    mutationFn: (agree: boolean) => unwrap(api.incoming.requests[':id'].answer.$post({ param: { id: r.id }, json: { agree, note } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: incomingKeys.all }),
  });
  const isRecall = r.kind === 'recall';
  return (
    <Alert color={isRecall ? 'red' : 'orange'} variant="light" title={t(isRecall ? 'incoming.request.recallTitle' : 'incoming.request.updateTitle', { issuer: issuerName })} data-testid="pending-request">
      <Stack gap="xs">
        <Text size="sm"><b>{t('incoming.request.reason')}:</b> {r.reason || t('incoming.request.noReason')}</Text>
        {r.changes.subject && <Text size="sm"><b>{t('incoming.request.newSubject')}:</b> {r.changes.subject}</Text>}
        {r.changes.dueDate && <Text size="sm"><b>{t('incoming.request.newDueDate')}:</b> {date(r.changes.dueDate)}</Text>}
        {r.changes.fileCount > 0 && <Text size="sm">{t('incoming.request.newFiles', { n: String(r.changes.fileCount) })}</Text>}
        <Text size="xs" c="dimmed">{t('incoming.request.received', { date: date(r.createdAt) })}</Text>
        {canAnswer ? (
          <>
            <Text size="sm">{t(isRecall ? 'incoming.request.recallHelp' : 'incoming.request.updateHelp')}</Text>
            <Textarea label={t('incoming.request.note')} placeholder={t('incoming.request.notePlaceholder')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
            {answer.isError && <Alert color="red">{errorMessage(answer.error, t)}</Alert>}
            <Group gap="xs" wrap="wrap">
              <Button color={isRecall ? 'red' : 'orange'} loading={answer.isPending && answer.variables} disabled={answer.isPending} onClick={() => answer.mutate(true)}>
                {t(isRecall ? 'incoming.request.agreeRecall' : 'incoming.request.agreeUpdate')}
              </Button>
              <Button variant="default" loading={answer.isPending && !answer.variables} disabled={answer.isPending} onClick={() => answer.mutate(false)}>{t('incoming.request.refuse')}</Button>
            </Group>
          </>
        ) : <Text size="sm" c="dimmed">{t('incoming.request.waitClerk')}</Text>}
      </Stack>
    </Alert>
  );
}

function AnsweredRequest({ request: r }: { request: SenderRequest }) {
  const { t, dateTime } = useI18n();
  const isAgreed = r.status === 'agreed';
  const what = t(r.kind === 'recall' ? 'incoming.request.kind.recall' : 'incoming.request.kind.update');
  return (
    <Card withBorder radius="md" padding="sm" data-testid="answered-request">
      <Group gap="xs" wrap="wrap">
        <Badge color={isAgreed ? 'teal' : 'gray'} variant="light">{isAgreed ? '15' : '16'} · {t(isAgreed ? 'incoming.request.agreed' : 'incoming.request.refused', { what })}</Badge>
        <Text size="xs" c="dimmed">{[r.answeredByName, r.answeredAt && dateTime(r.answeredAt)].filter(Boolean).join(' · ')}</Text>
      </Group>
      <Text size="sm" mt={4}>{t('incoming.request.reason')}: {r.reason || t('incoming.request.noReason')}{r.answerNote ? ` — ${t('incoming.request.note')}: ${r.answerNote}` : ''}</Text>
    </Card>
  );
}

/** The agency's recall / update requests waiting for an answer, each opening its document. */
export function PendingRequestsList() {
  const { t, date } = useI18n();
  const list = useQuery({ queryKey: [...incomingKeys.all, 'requests', 'pending'], queryFn: fetchPending, refetchInterval: 30_000 });
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.data.length === 0) return <Card withBorder radius="md" py="xl"><Text ta="center" c="dimmed">{t('incoming.request.none')}</Text></Card>;
  return (
    <Stack gap="xs" data-testid="pending-requests">
      {list.data.data.map((r) => {
        const notation = [r.document.number, r.document.notation].filter(Boolean).join('/');
        return (
          <Card key={r.id} withBorder radius="md" padding="sm" component={Link} to={`/incoming/${r.incomingId}`} aria-label={`${t('incoming.open')} ${r.document.subject || notation}`}
            style={{ borderLeft: `4px solid var(--mantine-color-${r.kind === 'recall' ? 'red' : 'orange'}-6)` }}>
            <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
              <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                <Text fw={600} lineClamp={2}>{r.document.subject || notation}</Text>
                <Text size="sm" c="dimmed">{[notation, r.document.issuerName, date(r.createdAt)].filter(Boolean).join(' · ')}</Text>
                <Text size="sm">{t('incoming.request.reason')}: {r.reason || t('incoming.request.noReason')}</Text>
              </Stack>
              <Badge color={r.kind === 'recall' ? 'red' : 'orange'}>{t(r.kind === 'recall' ? 'incoming.request.kind.recall' : 'incoming.request.kind.update')}</Badge>
            </Group>
          </Card>
        );
      })}
    </Stack>
  );
}
