import { useState } from 'react';
import { Alert, Button, Card, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { recordsKeys, type RecordsFileDetail } from './records-api.ts';

/**
 * Keeping a due file back (ND 30 Art. 31.3.d): the request form for its keeper or unit head, the request waiting (the
 * first or an extension of a keep agreed) with «Đồng ý» / «Không đồng ý» for a leader of the agency, the answer, and
 * every request so far. The server says who may do what.
 */
export function KeepCard({ d }: { d: RecordsFileDetail }) {
  const { t, date } = useI18n();
  const k = d.keep;
  const canAsk = d.can['records.file.keep'] ?? false;
  const canDecide = d.can['records.file.keep.decide'] ?? false;
  // the policy says who may extend; the 02 years say whether any day is left to extend to
  const isAtLimit = !!k.until && !!k.latestUntil && k.until >= k.latestUntil;
  const canExtend = d.can['records.file.keep.extend'] ?? false;
  const [asking, setAsking] = useState<'keep' | 'extend' | null>(null);
  const isClosed = d.file.status === 'closed';
  if (!(isClosed && (k.status || canAsk)) && k.history.length === 0) return null;
  const pendingExtension = k.pending?.kind === 'extend' ? k.pending : null;
  return (
    <Stack gap="xs" data-testid="records-keep">
      {isClosed && k.status === 'approved' && (
        <Alert color="teal" variant="light" data-testid="records-keep-approved">
          {t('records.keep.approved', { date: date(k.until), reason: k.reason, name: k.decidedByName ?? '', on: date(k.decidedAt) })}{k.note && ` (${k.note})`}
        </Alert>
      )}
      {isClosed && (k.status === 'requested' || pendingExtension) && (
        <Alert color="yellow" variant="light" data-testid="records-keep-requested">
          <Stack gap="xs">
            <Text size="sm">{pendingExtension
              ? t('records.keep.extendRequested', { from: date(pendingExtension.previousUntil), date: date(pendingExtension.until), reason: pendingExtension.reason, name: pendingExtension.requestedByName ?? '', on: date(pendingExtension.requestedAt) })
              : t('records.keep.requested', { date: date(k.until), reason: k.reason, name: k.requestedByName ?? '', on: date(k.requestedAt) })}</Text>
            {canDecide ? <DecideKeep fileId={d.file.id} /> : <Text size="sm" c="dimmed">{t('records.keep.waiting')}</Text>}
          </Stack>
        </Alert>
      )}
      {isClosed && k.status === 'refused' && (
        <Text size="sm" c="dimmed" data-testid="records-keep-refused">{t('records.keep.refused', { name: k.decidedByName ?? '', on: date(k.decidedAt) })}{k.note ? `: ${k.note}` : '.'}</Text>
      )}
      {canExtend && isAtLimit && <Text size="sm" c="dimmed" data-testid="records-keep-at-limit">{t('records.keep.atLimit')}</Text>}
      {(canAsk || (canExtend && !isAtLimit)) && (
        <Group>
          {canAsk && <Button variant="default" size="compact-sm" onClick={() => setAsking('keep')} data-testid="records-keep-ask">{t('records.keep.ask')}</Button>}
          {canExtend && !isAtLimit && <Button variant="default" size="compact-sm" onClick={() => setAsking('extend')} data-testid="records-keep-extend">{t('records.keep.extend')}</Button>}
        </Group>
      )}
      {(canAsk || canExtend) && <AskKeepModal d={d} kind={asking ?? 'keep'} opened={asking !== null} onClose={() => setAsking(null)} />}
      <KeepHistory d={d} />
    </Stack>
  );
}

/** Every request to keep the file back or extend the keep, oldest first, with its answer; shown once there is more than the line above says. */
function KeepHistory({ d }: { d: RecordsFileDetail }) {
  const { t, date } = useI18n();
  const history = d.keep.history;
  if (history.length < 2 && !history.some((h) => h.clearedAt) && d.file.status === 'closed') return null;
  return (
    <Card withBorder radius="md" padding="sm" data-testid="records-keep-history">
      <Text fw={600} size="sm" mb={4}>{t('records.keep.history')}</Text>
      <Stack gap={6}>
        {history.map((h) => (
          <div key={h.id}>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {h.kind === 'extend' ? t('records.keep.history.extend', { from: date(h.previousUntil), date: date(h.until) }) : t('records.keep.history.keep', { date: date(h.until) })}
              {' — '}{h.reason} ({t('records.keep.history.by', { name: h.requestedByName ?? '', on: date(h.requestedAt) })})
            </Text>
            <Text size="xs" c={h.status === 'approved' ? 'teal' : h.status === 'refused' ? 'red' : 'dimmed'}>
              {h.status === 'approved' || h.status === 'refused' ? t(`records.keep.history.${h.status}`, { name: h.decidedByName ?? '', on: date(h.decidedAt) }) : t(`records.keep.history.${h.status}`)}
              {h.note && ` — ${h.note}`}
              {h.clearedAt && ` · ${t('records.keep.history.cleared', { on: date(h.clearedAt) })}`}
            </Text>
          </div>
        ))}
      </Stack>
    </Card>
  );
}

/** «Đề nghị giữ lại» (until when: after the due date, at most 02 years after it) or «Đề nghị gia hạn» (after the day agreed, within the same 02 years), and why. */
function AskKeepModal({ d, kind, opened, onClose }: { d: RecordsFileDetail; kind: 'keep' | 'extend'; opened: boolean; onClose: () => void }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const isExtension = kind === 'extend';
  const ask = useMutation({
    mutationFn: () => {
      const request = { param: { id: d.file.id }, json: { until, reason } };
      return unwrap(isExtension ? api.records.files[':id'].keep.extend.$post(request) : api.records.files[':id'].keep.$post(request));
    },
    onSuccess: () => {
      onClose();
      setUntil('');
      setReason('');
      void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
    },
  });
  const from = isExtension ? d.keep.extendEarliest : d.keep.earliestUntil;
  return (
    <Modal opened={opened} onClose={onClose} title={t(isExtension ? 'records.keep.extend' : 'records.keep.ask')} centered>
      <Stack>
        <Text size="sm">{isExtension ? t('records.keep.extendRule', { until: date(d.keep.until), due: date(d.keep.legalDueDate), latest: date(d.keep.latestUntil) })
          : t('records.keep.rule', { due: date(d.keep.legalDueDate), latest: date(d.keep.latestUntil) })}</Text>
        <VnDateInput required label={t(isExtension ? 'records.keep.extendUntil' : 'records.keep.until')} value={until} onChange={setUntil} invalidMessage={t('doc.date.invalid')} data-testid="records-keep-until"
          description={t('records.keep.untilHelp', { from: date(from), to: date(d.keep.latestUntil) })} />
        <Textarea required label={t(isExtension ? 'records.keep.extendReason' : 'records.keep.reason')} autosize minRows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-testid="records-keep-reason" />
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
