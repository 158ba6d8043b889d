import type { ReactNode } from 'react';
import { Anchor, Badge, Card, Group, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import IconFile from '@tabler/icons-react/dist/esm/icons/IconFile.mjs';
import { formatDate } from '../../i18n/format.ts';
import { useI18n, hasKey } from '../../i18n/i18n.tsx';
import { Timeline, type TimelineEntry } from '../documents/timeline.tsx';
import { fileUrl, recipientAnswers, type OutgoingDetail, type OutgoingFile } from './outgoing-api.ts';
import { Link } from 'react-router';
import { hasAnyRole, useSession } from '../../auth/session.ts';
import { EXCHANGE_ROLES } from './outgoing-routes.ts';

/** A titled card of the document page. */
export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder radius="md" padding="md" data-testid={testId}>
      <Text fw={600} mb="sm">{title}</Text>
      {children}
    </Card>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" gap="md" wrap="nowrap" py={5} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <Text size="sm" c="dimmed" style={{ flex: 'none' }}>{label}</Text>
      <Text size="sm" ta="right" style={{ minWidth: 0, overflowWrap: 'anywhere', whiteSpace: 'pre-line' }} component="div">{children}</Text>
    </Group>
  );
}

/** Metadata: type, number, signer and competence, drafter, recipients text, copies, dates. */
export function InfoSection({ doc }: { doc: OutgoingDetail }) {
  const { t, date } = useI18n();
  const competence = doc.signerCompetence ? `${doc.signerCompetence}. ` : '';
  return (
    <Section title={t('outgoing.info')}>
      <Row label={t('outgoing.field.type')}>{doc.typeName}</Row>
      {doc.numberText && <Row label={t('outgoing.field.number')}>{doc.numberText}</Row>}
      {doc.issuedAt && <Row label={t('outgoing.field.issuedAt')}>{date(doc.issuedAt)}</Row>}
      <Row label={t('outgoing.field.signer')}>
        {doc.onBehalf?.isSigned
          ? t('outgoing.onBehalf.after', { position: doc.onBehalf.signerPosition, deputyPosition: doc.onBehalf.deputyPosition, deputy: doc.onBehalf.deputyName, name: doc.onBehalf.signerName })
          : doc.signerName ? `${competence}${doc.signerPosition ? `${doc.signerPosition} ` : ''}${doc.signerName}` : t('app.none')}
      </Row>
      <Row label={t('outgoing.field.drafter')}>{doc.createdByName}</Row>
      <Row label={t('outgoing.field.recipientsText')}>{doc.recipientsText || t('app.none')}</Row>
      <Row label={t('outgoing.field.copies')}>{doc.copies}</Row>
      {doc.dueDate && <Row label={t('outgoing.field.dueDate')}>{date(doc.dueDate)}</Row>}
      {doc.recallReason && <Row label={t('outgoing.field.recallReason')}>{doc.recallReason}</Row>}
      <Row label={t('outgoing.field.createdAt')}>{date(doc.createdAt)}</Row>
    </Section>
  );
}

/** The review chain, round by round: who, status, comment (with the page it points at). */
export function StepsSection({ doc, onPage }: { doc: OutgoingDetail; onPage: (page: number) => void }) {
  const { t, dateTime } = useI18n();
  if (doc.steps.length === 0) return null;
  return (
    <Section title={t('outgoing.steps')} testId="outgoing-steps">
      <Stack gap="xs">
        {doc.steps.map((s) => {
          const key = `outgoing.step.${s.status}`;
          return (
            <div key={s.id} style={{ borderLeft: `3px solid var(--mantine-color-${s.isCurrent ? 'orange' : 'gray'}-4)`, paddingLeft: 8 }}>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text size="sm" fw={500} truncate>{s.reviewerName}</Text>
                <Badge size="sm" variant="light" color={s.status === 'approved' ? 'teal' : s.status === 'returned' ? 'orange' : 'gray'} style={{ flex: 'none' }}>{hasKey(key) ? t(key) : s.status}</Badge>
              </Group>
              <Text size="xs" c="dimmed">{t('outgoing.step.round', { round: s.round, version: s.version })}{s.actedAt ? ` · ${dateTime(s.actedAt)}` : ''}</Text>
              {s.comment && <Text size="sm" mt={2} style={{ overflowWrap: 'anywhere' }}>{s.comment}{s.page ? ' ' : ''}
                {s.page && <Anchor component="button" type="button" size="sm" onClick={() => onPage(s.page ?? 1)}>({t('outgoing.step.page', { page: s.page })})</Anchor>}</Text>}
            </div>
          );
        })}
      </Stack>
    </Section>
  );
}

const SENDING_COLOR: Record<string, string> = { failed: 'red', pending: 'yellow', sent: 'gray' };

/** Each recipient's tracking: its latest QCVN 102 status and the times of every status received. */
export function RecipientsSection({ doc }: { doc: OutgoingDetail }) {
  const { t, dateTime } = useI18n();
  const user = useSession().data?.user;
  const seesSending = !!user && hasAnyRole(user, EXCHANGE_ROLES);
  if (doc.recipients.length === 0) return null;
  const n = doc.recipientCounts;
  const answers = recipientAnswers(doc.status, n, t);
  return (
    <Section title={t('outgoing.recipients')} testId="outgoing-recipients">
      <Stack gap="sm">
        {doc.issuedAt && (
          <Text size="sm" fw={500} data-testid="recipients-summary">
            {t('outgoing.recipients.summary', { delivered: n.delivered, total: n.total, registered: n.registered, done: n.done })}
            {n.refused > 0 && <Text span c="red" size="sm"> · {t('outgoing.recipients.refused', { count: n.refused })}</Text>}
          </Text>
        )}
        {answers && (
          <Text size="sm" fw={500} c={answers.color === 'teal' ? undefined : answers.color} data-testid="recipients-answers">
            {answers.text}
          </Text>
        )}
        {doc.recipients.map((r) => (
          <div key={r.id} data-testid="recipient-row">
            <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>{r.name}</Text>
                <Text size="xs" c="dimmed">{t(`outgoing.recipientKind.${r.kind === 'unit' ? 'unit' : r.kind === 'agency' ? 'agency' : 'external'}`)}{r.agencyCode ? ` · ${r.agencyCode}` : ''}</Text>
              </div>
              <Stack gap={4} align="flex-end" style={{ flex: 'none' }}>
                {r.statusCode || !r.sending ? (
                  <Badge size="sm" variant="light" color={r.statusCode === '02' ? 'red' : r.statusCode === '06' ? 'teal' : r.statusCode ? 'blue' : 'gray'}>
                    {r.statusCode ? `${r.statusCode} · ${r.statusLabel}` : t('outgoing.recipient.notSent')}
                  </Badge>
                ) : (
                  // not yet answered by the recipient: how its package stands on the way (exchange outbox)
                  <Badge size="sm" variant="light" data-testid="recipient-sending" color={SENDING_COLOR[r.sending.status] ?? 'gray'}>
                    {t(`sending.recipient.${r.sending.status === 'failed' || r.sending.status === 'sent' ? r.sending.status : 'pending'}`)}
                  </Badge>
                )}
                {/* the recipient's answer to a recall / update: 13 asked, 15 agreed, 16 refused (time in the events below) */}
                {r.recallLabel && (r.statusCode === '02'
                  // refused before the recall: nothing owed, said in plain words (a badge would cut it on a phone)
                  ? <Text size="xs" c="dimmed" ta="right" maw="12rem" data-testid="recipient-recall">{r.recallLabel}</Text>
                  : <Badge size="sm" variant="light" data-testid="recipient-recall" color={r.recallCode === '15' || r.kind === 'unit' ? 'teal' : r.recallCode === '16' ? 'red' : 'orange'}>{r.recallLabel}</Badge>)}
                {/* asked (13) and not answered yet — a recall or an update alike: since when */}
                {r.recallCode === '13' && r.kind !== 'unit' && r.statusCode !== '02' && r.recallAt && (
                  <Text size="xs" c="orange" ta="right" data-testid="recipient-awaiting">{t('outgoing.recipient.awaitingSince', { date: dateTime(r.recallAt) })}</Text>
                )}
              </Stack>
            </Group>
            {!r.statusCode && r.sending?.errorMessage && r.sending.status !== 'sent' && (
              <Text size="xs" c={r.sending.status === 'failed' ? 'red' : 'dimmed'} mt={4} style={{ overflowWrap: 'anywhere' }} data-testid="recipient-sending-error">
                {r.sending.errorMessage}
                {seesSending && <> · <Anchor component={Link} to="/outgoing/sending" size="xs">{t(r.sending.status === 'failed' ? 'sending.recipient.open' : 'sending.recipient.openPending')}</Anchor></>}
              </Text>
            )}
            {r.events.length > 0 && (
              <Table fz="xs" mt={4} withRowBorders={false} verticalSpacing={2} horizontalSpacing={4}>
                <Table.Tbody>
                  {r.events.map((e, i) => (
                    <Table.Tr key={`${e.code}-${i}`}>
                      {/* dd/mm/yyyy hh:mm on one line: in a 90 px cell it broke after the date on a phone */}
                      <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>{dateTime(e.at).slice(0, 16)}</Table.Td>
                      <Table.Td>{e.code} · {e.label}{e.description ? ` — ${e.description}` : ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </div>
        ))}
      </Stack>
    </Section>
  );
}

const FILE_NOTE: Record<string, string> = { issued: 'outgoing.file.issued', approved: 'outgoing.file.approved' };

/** Every version's files, newest first; choosing one shows it in the viewer (older versions stay readable). */
export function VersionsSection({ doc, shownId, onShow }: { doc: OutgoingDetail; shownId: string | undefined; onShow: (f: OutgoingFile) => void }) {
  const { t, dateTime } = useI18n();
  const versions = [...new Set(doc.files.map((f) => f.version))].sort((a, b) => b - a);
  if (versions.length === 0) return null;
  const label = (f: OutgoingFile) => {
    const note = FILE_NOTE[f.note] ?? (f.note.startsWith('issued-appendix') ? 'outgoing.file.issuedAppendix' : `outgoing.file.${f.kind}`);
    return hasKey(note) ? t(note) : f.kind;
  };
  return (
    <Section title={t('outgoing.versions')} testId="outgoing-versions">
      <Stack gap="sm">
        {versions.map((v) => (
          <div key={v}>
            <Text size="xs" fw={700} c="dimmed" tt="uppercase">{t('outgoing.version', { version: v })}{v === doc.currentVersion ? ` · ${t('outgoing.version.current')}` : ''}</Text>
            {doc.files.filter((f) => f.version === v && f.kind !== 'source').map((f) => (
              <Group key={f.id} gap={6} wrap="nowrap" py={2}>
                <IconFile size={16} style={{ flex: 'none' }} />
                <UnstyledButton onClick={() => onShow(f)} style={{ minWidth: 0, flex: 1 }} aria-current={f.id === shownId} data-testid="version-file">
                  <Text size="sm" truncate fw={f.id === shownId ? 700 : 400} c={f.id === shownId ? 'navy' : undefined}>{label(f)} — {f.fileName}</Text>
                  <Text size="xs" c="dimmed">{dateTime(f.createdAt)}{f.pageCount ? ` · ${t('doc.pdf.pages', { count: f.pageCount })}` : ''}</Text>
                </UnstyledButton>
                <Anchor href={fileUrl(doc.id, f.id, true)} size="xs" style={{ flex: 'none' }}>{t('doc.pdf.download')}</Anchor>
              </Group>
            ))}
          </div>
        ))}
      </Stack>
    </Section>
  );
}

const HISTORY_COLOR: Record<string, string> = {
  OUTGOING_REVIEW_RETURNED: 'orange', OUTGOING_RETURNED: 'orange', OUTGOING_SIGNED: 'teal', OUTGOING_ISSUED: 'teal', OUTGOING_RECALL_REQUESTED: 'red', OUTGOING_CANCELLED: 'red',
};

/**
 * A recipient's status change (OUTGOING_RECIPIENT_STATUS: recipientId, code, at, description) as the recipient's row
 * says it: «Ủy ban nhân dân xã Tân Lập: 03 · Đã vào sổ — …». The entry alone said only «Cập nhật trạng thái nơi nhận».
 */
function recipientStatusDetail(doc: OutgoingDetail, data: Record<string, unknown>): string | undefined {
  const recipient = doc.recipients.find((r) => r.id === data.recipientId);
  const code = typeof data.code === 'string' ? data.code : '';
  if (!recipient || !code) return undefined;
  const event = recipient.events.find((e) => e.code === code && e.at === data.at) ?? recipient.events.find((e) => e.code === code);
  const description = typeof data.description === 'string' && data.description ? ` — ${data.description}` : '';
  return `${recipient.name}: ${code}${event ? ` · ${event.label}` : ''}${description}`;
}

/** `number`: the số, ký hiệu the issue gave (OUTGOING_ISSUED; OUTGOING_REPLACED: the replacement's), as «Số: 02/UBND-TH». */
function historyDetail(data: Record<string, unknown>, pageLabel: (page: number) => string, numberLabel: (number: string) => string): string | undefined {
  const parts = ['comment', 'reason'].map((k) => data[k]).filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (typeof data.number === 'string' && data.number) parts.push(numberLabel(data.number));
  // An update sent to the recipients: the new trích yếu and deadline after its reason.
  const changes = data.changes as { subject?: string; dueDate?: string | null } | undefined;
  if (changes?.subject) parts.push(`— ${changes.subject}`);
  if (changes?.dueDate) parts.push(`— ${formatDate(changes.dueDate)}`);
  if (typeof data.page === 'number') parts.push(`(${pageLabel(data.page)})`);
  return parts.join(' ') || undefined;
}

/** The audit trail of the document as a timeline. */
export function HistorySection({ doc }: { doc: OutgoingDetail }) {
  const { t } = useI18n();
  const entries: TimelineEntry[] = doc.history.map((h) => {
    const key = `auditEvent.${h.type}`;
    const where = [h.actorPosition, h.actorUnit].filter(Boolean).join(', ');
    const detail = h.type === 'OUTGOING_RECIPIENT_STATUS' ? recipientStatusDetail(doc, h.data)
      : historyDetail(h.data, (page) => t('outgoing.step.page', { page }), (number) => t('outgoing.history.number', { number }));
    return { id: h.id, at: h.at, title: hasKey(key) ? t(key) : h.type, actor: h.actorLogin === 'system' && h.actorName === 'system' ? t('outgoing.history.system') : `${h.actorName}${where ? ` (${where})` : ''}`, detail, color: HISTORY_COLOR[h.type] };
  });
  return <Section title={t('outgoing.history')} testId="outgoing-history"><Timeline entries={entries} /></Section>;
}
