import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { recordsKeys, type RecordsFileDetail } from './records-api.ts';

/**
 * Keeping a due file back (ND 30 Art. 31.3.d): the request form for its keeper or unit head, the waiting request
 * with «Đồng ý» / «Không đồng ý» for a leader of the agency, and the answer. The server says who may do what.
 */
export function KeepCard({ d }: { d: RecordsFileDetail }) {
  const { t, date } = useI18n();
  const k = d.keep;
  const canAsk = d.can['records.file.keep'] ?? false;
  const canDecide = d.can['records.file.keep.decide'] ?? false;
  const [isAsking, setAsking] = useState(false);
  if (d.file.status !== 'closed' || (!k.status && !canAsk)) return null;
  return (
    <Stack gap="xs" data-testid="records-keep">
      {k.status === 'approved' && (
        <Alert color="teal" variant="light" data-testid="records-keep-approved">
          {t('records.keep.approved', { date: date(k.until), reason: k.reason, name: k.decidedByName ?? '', on: date(k.decidedAt) })}{k.note && ` (${k.note})`}
        </Alert>
      )}
      {k.status === 'requested' && (
        <Alert color="yellow" variant="light" data-testid="records-keep-requested">
          <Stack gap="xs">
            <Text size="sm">{t('records.keep.requested', { date: date(k.until), reason: k.reason, name: k.requestedByName ?? '', on: date(k.requestedAt) })}</Text>
            {canDecide ? <DecideKeep fileId={d.file.id} /> : <Text size="sm" c="dimmed">{t('records.keep.waiting')}</Text>}
          </Stack>
        </Alert>
      )}
      {k.status === 'refused' && (
        <Text size="sm" c="dimmed" data-testid="records-keep-refused">{t('records.keep.refused', { name: k.decidedByName ?? '', on: date(k.decidedAt) })}{k.note ? `: ${k.note}` : '.'}</Text>
      )}
      {canAsk && (
        <Group>
          <Button variant="default" size="compact-sm" onClick={() => setAsking(true)} data-testid="records-keep-ask">{t('records.keep.ask')}</Button>
        </Group>
      )}
      {canAsk && <AskKeepModal d={d} opened={isAsking} onClose={() => setAsking(false)} />}
    </Stack>
  );
}

/** «Đề nghị giữ lại»: until when (after the due date, at most 02 years after it) and why. */
function AskKeepModal({ d, opened, onClose }: { d: RecordsFileDetail; opened: boolean; onClose: () => void }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const ask = useMutation({
    mutationFn: () => unwrap(api.records.files[':id'].keep.$post({ param: { id: d.file.id }, json: { until, reason } })),
    onSuccess: () => {
      onClose();
      void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('records.keep.ask')} centered>
      <Stack>
        <Text size="sm">{t('records.keep.rule', { due: date(d.keep.legalDueDate), latest: date(d.keep.latestUntil) })}</Text>
        <VnDateInput required label={t('records.keep.until')} value={until} onChange={setUntil} invalidMessage={t('doc.date.invalid')} data-testid="records-keep-until"
          description={t('records.keep.untilHelp', { from: date(d.keep.earliestUntil), to: date(d.keep.latestUntil) })} />
        <Textarea required label={t('records.keep.reason')} autosize minRows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="records-keep-reason" />
        {ask.isError && <Alert color="red">{errorMessage(ask.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
          <Button onClick={() => ask.mutate()} loading={ask.isPending} disabled={!until || !reason.trim()} data-testid="records-keep-send">{t('records.keep.send')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** A leader's answer, with an optional note. */
function DecideKeep({ fileId }: { fileId: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (approve: boolean) => unwrap(api.records.files[':id'].keep.decide.$post({ param: { id: fileId }, json: { approve, note } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: recordsKeys.all }),
  });
  return (
    <Stack gap="xs">
      <Textarea placeholder={t('records.keep.note')} aria-label={t('records.keep.note')} autosize minRows={1} maxLength={1000} value={note} onChange={(e) => setNote(e.currentTarget.value)} bg="white" />
      {decide.isError && <Alert color="red">{errorMessage(decide.error, t)}</Alert>}
      <Group gap="xs">
        <Button size="compact-sm" color="teal" onClick={() => decide.mutate(true)} loading={decide.isPending && decide.variables} data-testid="records-keep-approve">{t('records.keep.approve')}</Button>
        <Button size="compact-sm" variant="default" color="red" onClick={() => decide.mutate(false)} loading={decide.isPending && !decide.variables} data-testid="records-keep-refuse">{t('records.keep.refuse')}</Button>
      </Group>
    </Stack>
  );
}
