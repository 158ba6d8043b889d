import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Badge, Button, Group, Loader, Modal, NumberInput, Select, Stack, Text, Textarea, TextInput, Checkbox } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconSignature from '@tabler/icons-react/dist/esm/icons/IconSignature.mjs';
import IconSend from '@tabler/icons-react/dist/esm/icons/IconSend.mjs';
import IconPencil from '@tabler/icons-react/dist/esm/icons/IconPencil.mjs';
import IconCheck from '@tabler/icons-react/dist/esm/icons/IconCheck.mjs';
import IconArrowBackUp from '@tabler/icons-react/dist/esm/icons/IconArrowBackUp.mjs';
import IconArrowForwardUp from '@tabler/icons-react/dist/esm/icons/IconArrowForwardUp.mjs';
import IconRubberStamp from '@tabler/icons-react/dist/esm/icons/IconRubberStamp.mjs';
import IconFileText from '@tabler/icons-react/dist/esm/icons/IconFileText.mjs';
import IconBan from '@tabler/icons-react/dist/esm/icons/IconBan.mjs';
import IconTrash from '@tabler/icons-react/dist/esm/icons/IconTrash.mjs';
import IconReplace from '@tabler/icons-react/dist/esm/icons/IconReplace.mjs';
import IconEdit from '@tabler/icons-react/dist/esm/icons/IconEdit.mjs';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { api, isApiError, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { outgoingKeys, useDirectory, usePublicInfo, type OutgoingCan, type OutgoingDetail } from './outgoing-api.ts';
import { SignModal, type SignTarget } from './sign-modal.tsx';
import { isSealBlocking, SealAlert } from './certificate-expiry.tsx';
import { moved, OrderedRow } from './ordered-list.tsx';

type Dialog = 'submit' | 'approve' | 'return' | 'forward' | 'sendBack' | 'issue' | 'recall' | 'update' | 'cancel';

/**
 * The actions the server allows on this document (its `can` block), as buttons; each opens a small
 * form. A 409 (the document changed meanwhile) shows the server's message and reloads the document.
 */
export function OutgoingActions({ doc, can }: { doc: OutgoingDetail; can: OutgoingCan }) {
  const { t } = useI18n();
  const info = usePublicInfo();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [signing, setSigning] = useState<SignTarget[] | null>(null);
  const client = useQueryClient();
  const navigate = useNavigate();
  const sample = useMutation({
    mutationFn: () => unwrap<unknown>(api.outgoing[':id']['sample-file'].$post({ param: { id: doc.id } })),
    onSuccess: () => client.invalidateQueries({ queryKey: outgoingKeys.all }),
    onError: (e) => notifications.show({ color: 'red', message: errorMessage(e, t) }),
  });
  const open = (d: Dialog) => () => setDialog(d);
  const buttons: ReactNode[] = [];
  if (can['outgoing.sign']) buttons.push(<Button key="sign" size="md" leftSection={<IconSignature size={18} />} onClick={() => setSigning([{ id: doc.id, subject: doc.subject }])}>{t('outgoing.action.sign')}</Button>);
  if (can['outgoing.review']) {
    buttons.push(<Button key="approve" color="teal" leftSection={<IconCheck size={18} />} onClick={open('approve')}>{t('outgoing.action.approve')}</Button>);
    buttons.push(<Button key="return" variant="light" color="orange" leftSection={<IconArrowBackUp size={18} />} onClick={open('return')}>{t('outgoing.action.return')}</Button>);
    buttons.push(<Button key="forward" variant="default" leftSection={<IconArrowForwardUp size={18} />} onClick={open('forward')}>{t('outgoing.action.forward')}</Button>);
  }
  if (can['outgoing.issue']) buttons.push(<Button key="issue" leftSection={<IconRubberStamp size={18} />} onClick={open('issue')}>{t('outgoing.action.issue')}</Button>);
  if (can['outgoing.sign'] || can['outgoing.return_signed']) buttons.push(<Button key="sendBack" variant="light" color="orange" leftSection={<IconArrowBackUp size={18} />} onClick={open('sendBack')}>{t('outgoing.action.return')}</Button>);
  if (can['outgoing.submit']) buttons.push(<Button key="submit" leftSection={<IconSend size={18} />} onClick={open('submit')}>{t('outgoing.action.submit')}</Button>);
  if (can['outgoing.edit']) {
    buttons.push(<Button key="edit" variant="default" component={Link} to={`/outgoing/${doc.id}/edit`} leftSection={<IconPencil size={18} />}>{t('outgoing.action.edit')}</Button>);
    // Demo: the sample file is for a draft with no file yet; on one with the drafter's own file a click made the sample its current version, unasked.
    const hasMainFile = doc.files.some((f) => f.version === doc.currentVersion && f.kind === 'main');
    if (info.data?.data.demo && !hasMainFile) buttons.push(<Button key="sample" variant="default" leftSection={<IconFileText size={18} />} loading={sample.isPending} onClick={() => sample.mutate()}>{t('outgoing.action.sample')}</Button>);
  }
  if (can['outgoing.replace']) buttons.push(<Button key="replace" variant="light" leftSection={<IconReplace size={18} />} onClick={() => navigate(`/outgoing/new?replaces=${doc.id}`)}>{t('outgoing.replace.action')}</Button>);
  // An update (BussinessDocType 2) is for the same people as a recall, while the document is issued.
  if (can['outgoing.recall']) buttons.push(<Button key="update" variant="light" leftSection={<IconEdit size={18} />} onClick={open('update')}>{t('outgoing.update.action')}</Button>);
  if (can['outgoing.recall']) buttons.push(<Button key="recall" variant="light" color="red" leftSection={<IconBan size={18} />} onClick={open('recall')}>{t('outgoing.action.recall')}</Button>);
  if (can['outgoing.cancel']) buttons.push(<Button key="cancel" variant="subtle" color="red" leftSection={<IconTrash size={18} />} onClick={open('cancel')}>{t('outgoing.action.cancel')}</Button>);
  if (buttons.length === 0) return null;
  return (
    <>
      <Group gap="sm" data-testid="outgoing-actions">{buttons}</Group>
      <ActionDialogs doc={doc} dialog={dialog} onClose={() => setDialog(null)} />
      <SignModal docs={signing} onClose={() => setSigning(null)} />
    </>
  );
}

/** Runs one action; on success closes and reloads, on 409 reloads too (the server says what the state is now). */
function useAction<T>(id: string, call: () => Promise<T>, onDone: (r: T) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: async (r) => {
      await client.invalidateQueries({ queryKey: outgoingKeys.all });
      onDone(r);
    },
    onError: (e) => {
      if (isApiError(e) && e.status === 409) void client.invalidateQueries({ queryKey: outgoingKeys.detail(id) });
    },
  });
}

/**
 * Says in a toast what the action did and where the document went, then closes the dialog: the page behind only
 * changed its badge, which on a phone is easy to miss.
 */
function announce(message: string, onClose: () => void): void {
  notifications.show({ color: 'teal', message });
  onClose();
}

/** Where a submitted or approved draft is now: with the next reviewer, or with the signer. */
const isWithSigner = (r: { data: { status: string } }) => r.data.status === 'awaiting_signature';

function ActionDialogs({ doc, dialog, onClose }: { doc: OutgoingDetail; dialog: Dialog | null; onClose: () => void }) {
  switch (dialog) {
    case 'submit': return <SubmitDialog doc={doc} onClose={onClose} />;
    case 'approve': return <CommentDialog doc={doc} kind="approve" onClose={onClose} />;
    case 'return': return <CommentDialog doc={doc} kind="return" onClose={onClose} />;
    case 'sendBack': return <CommentDialog doc={doc} kind="sendBack" onClose={onClose} />;
    case 'recall': return <CommentDialog doc={doc} kind="recall" onClose={onClose} />;
    case 'update': return <UpdateDialog doc={doc} onClose={onClose} />;
    case 'forward': return <ForwardDialog doc={doc} onClose={onClose} />;
    case 'issue': return <IssueDialog doc={doc} onClose={onClose} />;
    case 'cancel': return <CancelDialog doc={doc} onClose={onClose} />;
    default: return null;
  }
}

/** `isBlocked`: the dialog says why the action cannot be taken now; its button is off. */
function DialogFrame({ title, error, children, submit, isPending, isBlocked = false, onClose, onSubmit, color }: { title: string; error: unknown; children?: ReactNode; submit: string; isPending: boolean; isBlocked?: boolean; onClose: () => void; onSubmit: () => void; color?: string }) {
  const { t } = useI18n();
  return (
    <Modal opened onClose={onClose} title={title} size="lg">
      {/* noValidate: each dialog says what is missing itself, in Vietnamese, under its field (the browser's bubble is in the browser's language, and takes a blank comment). */}
      <form noValidate onSubmit={(e) => { e.preventDefault(); if (!isPending && !isBlocked) onSubmit(); }}>
        <Stack gap="md">
          {children}
          {error !== null && error !== undefined && <Alert color="red" variant="light" role="alert">{errorMessage(error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
            <Button type="submit" color={color} loading={isPending} disabled={isPending || isBlocked}>{submit}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const COMMENT_DIALOG: Record<'approve' | 'return' | 'sendBack' | 'recall', { title: MessageKey; submit: MessageKey; label: MessageKey; isRequired: boolean; hasPage: boolean; color?: string }> = {
  approve: { title: 'outgoing.approve.title', submit: 'outgoing.action.approve', label: 'outgoing.comment.optional', isRequired: false, hasPage: false, color: 'teal' },
  return: { title: 'outgoing.return.title', submit: 'outgoing.action.return', label: 'outgoing.comment.required', isRequired: true, hasPage: true, color: 'orange' },
  sendBack: { title: 'outgoing.return.title', submit: 'outgoing.action.return', label: 'outgoing.comment.required', isRequired: true, hasPage: true, color: 'orange' },
  recall: { title: 'outgoing.recall.title', submit: 'outgoing.action.recall', label: 'outgoing.recall.reason', isRequired: true, hasPage: false, color: 'red' },
};

function CommentDialog({ doc, kind, onClose }: { doc: OutgoingDetail; kind: keyof typeof COMMENT_DIALOG; onClose: () => void }) {
  const { t } = useI18n();
  const look = COMMENT_DIALOG[kind];
  const [comment, setComment] = useState('');
  const [isMissing, setMissing] = useState(false);
  const [page, setPage] = useState<number | null>(null);
  const param = { id: doc.id };
  const action = useAction(doc.id, () => {
    if (kind === 'approve') return unwrap(api.outgoing[':id'].review.$post({ param, json: { action: 'approve', comment } }));
    if (kind === 'return') return unwrap(api.outgoing[':id'].review.$post({ param, json: { action: 'return', comment, page } }));
    if (kind === 'sendBack') return unwrap(api.outgoing[':id'].return.$post({ param, json: { comment, page } }));
    return unwrap(api.outgoing[':id'].recall.$post({ param, json: { reason: comment } }));
  }, (r) => announce(t(kind === 'approve' ? (isWithSigner(r) ? 'outgoing.done.approvedToSigner' : 'outgoing.done.approvedToReviewer')
    : kind === 'recall' ? 'outgoing.done.recalled' : 'outgoing.done.returned'), onClose));
  return (
    <DialogFrame title={t(look.title)} submit={t(look.submit)} color={look.color} error={action.error} isPending={action.isPending} onClose={onClose}
      onSubmit={() => { if (!look.isRequired || comment.trim()) action.mutate(); else setMissing(true); }}>
      <Text size="sm" lineClamp={2}>{doc.subject}</Text>
      <Textarea label={t(look.label)} value={comment} onChange={(e) => { setComment(e.currentTarget.value); setMissing(false); }} required={look.isRequired}
        error={isMissing ? t('app.required') : null} autosize minRows={3} maxLength={2000} data-autofocus />
      {look.hasPage && <NumberInput label={t('outgoing.comment.page')} value={page ?? ''} onChange={(v) => setPage(typeof v === 'number' ? v : null)} min={1} allowDecimal={false} maw={200} />}
    </DialogFrame>
  );
}

/** The submit dialog: the chain the agency's settings propose for this document, which the drafter may reorder, trim or extend. */
function SubmitDialog({ doc, onClose }: { doc: OutgoingDetail; onClose: () => void }) {
  const { t } = useI18n();
  // Not under outgoingKeys.all: submitting reloads every 'outgoing' query, and this one, asked again of a
  // document no longer a draft, answered 409 — shown in the dialog for a moment as it closed.
  const proposed = useQuery({ queryKey: ['outgoing-proposed-chain', doc.id], queryFn: () => unwrap(api.outgoing[':id']['proposed-chain'].$get({ param: { id: doc.id } })), staleTime: 0, gcTime: 0 });
  if (proposed.isPending) return <DialogFrame title={t('outgoing.submit.title')} submit={t('outgoing.action.submit')} error={null} isPending onClose={onClose} onSubmit={() => undefined}><Loader size="sm" /></DialogFrame>;
  return <SubmitForm doc={doc} proposedIds={(proposed.data?.data ?? []).map((p) => p.id)} loadError={proposed.error} onClose={onClose} />;
}

function SubmitForm({ doc, proposedIds, loadError, onClose }: { doc: OutgoingDetail; proposedIds: string[]; loadError: unknown; onClose: () => void }) {
  const { t } = useI18n();
  const { users } = useDirectory();
  const [reviewerIds, setReviewerIds] = useState<string[]>(proposedIds);
  const [adding, setAdding] = useState<string | null>(null);
  const [isDirect, setDirect] = useState(false);
  const [comment, setComment] = useState('');
  const isChanged = reviewerIds.join() !== proposedIds.join();
  // The server refuses these (outgoing.no_file, outgoing.no_signer): said before pressing, with the way to fix it — the
  // dialog used to answer «Chưa chọn người ký văn bản.» after the press, and nothing about where to choose one.
  const missing: MessageKey[] = [...(doc.currentVersion < 1 ? ['outgoing.submit.noFile' as const] : []), ...(doc.signerId ? [] : ['outgoing.submit.noSigner' as const])];
  // Unchanged: let the server apply the agency's chain itself; changed: this document's own chain.
  const action = useAction(doc.id, () => unwrap(api.outgoing[':id'].submit.$post({ param: { id: doc.id },
    json: { comment, ...(isDirect ? { reviewerIds: [] } : isChanged ? { reviewerIds } : {}) } })),
  (r) => announce(t(isWithSigner(r) ? 'outgoing.done.submittedToSigner' : 'outgoing.done.submitted'), onClose));
  const label = (id: string) => {
    const u = users.find((x) => x.id === id);
    return u ? `${u.fullName}${u.position ? ` — ${u.position}` : ''}` : id;
  };
  const options = users.filter((u) => u.isActive && !reviewerIds.includes(u.id) && u.id !== doc.createdBy && u.id !== doc.signerId).map((u) => ({ value: u.id, label: label(u.id) }));
  return (
    <DialogFrame title={t('outgoing.submit.title')} submit={t('outgoing.action.submit')} error={action.error ?? loadError} isPending={action.isPending} isBlocked={missing.length > 0}
      onClose={onClose} onSubmit={() => action.mutate()}>
      <Text size="sm">{t('outgoing.submit.help')}</Text>
      {missing.length > 0 && (
        <Alert color="red" variant="light" role="alert" data-testid="submit-missing">
          {missing.map((key) => <Text key={key} size="sm">{t(key)}</Text>)}
          <Text size="sm" mt={4}>{t('outgoing.submit.missingFix')}</Text>
          <Button mt="xs" size="xs" variant="default" component={Link} to={`/outgoing/${doc.id}/edit`} leftSection={<IconPencil size={14} />}>{t('outgoing.action.edit')}</Button>
        </Alert>
      )}
      <div style={{ opacity: isDirect ? 0.5 : 1 }} data-testid="submit-chain">
        <Group gap="xs" justify="space-between">
          <Text size="sm" fw={500}>{t('outgoing.submit.chain')}</Text>
          {isChanged && !isDirect && <Badge size="sm" variant="light" color="orange">{t('outgoing.submit.chainChanged')}</Badge>}
        </Group>
        <Text size="xs" c="dimmed" mb={4}>{t('outgoing.submit.chainHelp')}</Text>
        {reviewerIds.length === 0 && <Text size="sm" c="dimmed">{t('outgoing.chain.empty')}</Text>}
        {reviewerIds.map((id, i) => (
          <OrderedRow key={id} index={i} count={reviewerIds.length} onMove={(by) => setReviewerIds((l) => moved(l, i, by))} onRemove={() => setReviewerIds((l) => l.filter((x) => x !== id))}>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{label(id)}</Text>
          </OrderedRow>
        ))}
        <Select mt="xs" placeholder={t('outgoing.submit.addReviewer')} aria-label={t('outgoing.submit.addReviewer')} searchable data={options} value={adding} disabled={isDirect || reviewerIds.length >= 10}
          onChange={(v) => { if (v) setReviewerIds((l) => [...l, v]); setAdding(null); }} comboboxProps={{ withinPortal: true }} />
      </div>
      <Checkbox label={t('outgoing.submit.direct')} checked={isDirect} onChange={(e) => setDirect(e.currentTarget.checked)} />
      <Textarea label={t('outgoing.submit.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
    </DialogFrame>
  );
}

function ForwardDialog({ doc, onClose }: { doc: OutgoingDetail; onClose: () => void }) {
  const { t } = useI18n();
  const { users } = useDirectory();
  const [toUserId, setTo] = useState<string | null>(null);
  const [isMissing, setMissing] = useState(false);
  const [comment, setComment] = useState('');
  const action = useAction(doc.id, () => unwrap(api.outgoing[':id'].review.$post({ param: { id: doc.id }, json: { action: 'forward', toUserId: toUserId ?? '', comment } })),
    () => announce(t('outgoing.done.forwarded', { name: users.find((u) => u.id === toUserId)?.fullName ?? '' }), onClose));
  return (
    <DialogFrame title={t('outgoing.forward.title')} submit={t('outgoing.action.forward')} error={action.error} isPending={action.isPending} onClose={onClose}
      onSubmit={() => { if (toUserId) action.mutate(); else setMissing(true); }}>
      <Select label={t('outgoing.forward.to')} required searchable value={toUserId} onChange={(v) => { setTo(v); setMissing(false); }} comboboxProps={{ withinPortal: true }}
        error={isMissing ? t('app.required') : null}
        data={users.filter((u) => u.isActive).map((u) => ({ value: u.id, label: `${u.fullName}${u.position ? ` — ${u.position}` : ''}` }))} />
      <Textarea label={t('outgoing.comment.optional')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
    </DialogFrame>
  );
}

/** Issuing, after showing what it will give (register, number, date, recipients) and what it will write over on the draft. */
function IssueDialog({ doc, onClose }: { doc: OutgoingDetail; onClose: () => void }) {
  const { t } = useI18n();
  // Outside outgoingKeys.all: issuing reloads those, and this document then has its number.
  const preview = useQuery({ queryKey: ['outgoing-issue-preview', doc.id], queryFn: () => unwrap(api.outgoing[':id']['issue-preview'].$get({ param: { id: doc.id } })), staleTime: 0, gcTime: 0 });
  const action = useAction(doc.id, () => unwrap(api.outgoing[':id'].issue.$post({ param: { id: doc.id } })), (r) => {
    notifications.show({ color: 'teal', message: t(r.alreadyIssued ? 'outgoing.issue.already' : 'outgoing.issue.done', { number: r.data.numberText ?? '' }) });
    onClose();
  });
  const p = preview.data?.data;
  // The server refuses these (outgoing.no_recipients, certificates.no_seal, certificates.expired): say so before the clerk presses, and what to do.
  const hasNoRecipients = p?.recipients === 0;
  const isSealUnusable = !!p && isSealBlocking(p);
  return (
    <DialogFrame title={t('outgoing.issue.title')} submit={t('outgoing.action.issue')} error={action.error ?? preview.error} isPending={action.isPending} isBlocked={hasNoRecipients || isSealUnusable}
      onClose={onClose} onSubmit={() => action.mutate()}>
      <Text size="sm">{t('outgoing.issue.help')}</Text>
      <Text size="sm" fw={600} lineClamp={2}>{doc.subject}</Text>
      {preview.isPending && <Loader size="sm" />}
      {p && (
        <Stack gap={4} data-testid="issue-preview">
          <SealAlert state={p} />
          <PreviewLine label={t('outgoing.issue.register')} value={p.registerName} />
          <PreviewLine label={t('outgoing.issue.number')} value={p.numberText} isStrong />
          <PreviewLine label={t('outgoing.issue.date')} value={p.dateText} />
          {!p.hasPlaceName && <Alert color="yellow" variant="light" data-testid="issue-no-place-name">{t('outgoing.issue.noPlaceName')}</Alert>}
          <PreviewLine label={t('outgoing.issue.recipients')} value={String(p.recipients)} />
          <Text size="xs" c="dimmed">{t('outgoing.issue.numberHelp')}</Text>
          {hasNoRecipients && <Alert color="red" variant="light" data-testid="issue-no-recipients">{t('outgoing.issue.noRecipients')}</Alert>}
          {p.printed && <Alert color="yellow" variant="light" data-testid="issue-printed">{t('outgoing.issue.printed', { printed: p.printed, number: p.numberText })}</Alert>}
        </Stack>
      )}
    </DialogFrame>
  );
}

function PreviewLine({ label, value, isStrong }: { label: string; value: string; isStrong?: boolean }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" c="dimmed" w={130} style={{ flex: 'none' }}>{label}</Text>
      <Text size="sm" fw={isStrong ? 700 : 400} style={{ overflowWrap: 'anywhere' }}>{value}</Text>
    </Group>
  );
}

/** New trích yếu and/or deadline of an issued document, with the reason, sent to every recipient (each answers 15/16). */
function UpdateDialog({ doc, onClose }: { doc: OutgoingDetail; onClose: () => void }) {
  const { t } = useI18n();
  const [subject, setSubject] = useState(doc.subject);
  const [dueDate, setDueDate] = useState(doc.dueDate ?? '');
  const [reason, setReason] = useState('');
  const [isEmpty, setEmpty] = useState(false);
  const [isTried, setTried] = useState(false);
  const changes = { ...(subject.trim() !== doc.subject && { subject: subject.trim() }), ...((dueDate || null) !== (doc.dueDate ?? null) && { dueDate: dueDate || null }) };
  const action = useAction(doc.id, () => unwrap(api.outgoing[':id'].update.$post({ param: { id: doc.id }, json: { reason, ...changes } })), (r) => {
    notifications.show({ color: 'teal', message: t('outgoing.update.done', { count: r.data.recipients }) });
    onClose();
  });
  return (
    <DialogFrame title={t('outgoing.update.title')} submit={t('outgoing.update.send')} error={action.error} isPending={action.isPending} onClose={onClose}
      onSubmit={() => { setTried(true); setEmpty(Object.keys(changes).length === 0); if (Object.keys(changes).length > 0 && reason.trim() && subject.trim()) action.mutate(); }}>
      <Text size="sm">{t('outgoing.update.help')}</Text>
      <Textarea label={t('outgoing.update.subject')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} required autosize minRows={2} maxLength={500}
        error={isTried && !subject.trim() ? t('app.required') : null} />
      <VnDateInput label={t('outgoing.update.dueDate')} invalidMessage={t('doc.date.invalid')} value={dueDate} onChange={setDueDate} />
      <TextInput label={t('outgoing.update.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required maxLength={500} data-autofocus
        error={isTried && !reason.trim() ? t('app.required') : null} />
      {isEmpty && <Text size="sm" c="red" role="alert">{t('outgoing.update.nothing')}</Text>}
    </DialogFrame>
  );
}

function CancelDialog({ doc, onClose }: { doc: OutgoingDetail; onClose: () => void }) {
  const { t } = useI18n();
  const action = useAction(doc.id, () => unwrap(api.outgoing[':id'].cancel.$post({ param: { id: doc.id } })), () => announce(t('outgoing.done.cancelled'), onClose));
  return (
    <DialogFrame title={t('outgoing.cancel.title')} submit={t('outgoing.action.cancel')} color="red" error={action.error} isPending={action.isPending} onClose={onClose} onSubmit={() => action.mutate()}>
      <Text size="sm">{t('outgoing.cancel.help')}</Text>
    </DialogFrame>
  );
}
