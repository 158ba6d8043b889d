import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Checkbox, FileInput, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api, isApiError, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { fetchDirectory, incomingKeys, leaderLabel, uploadFiles, type Directory, type IncomingDetail } from './incoming-api.ts';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { vietnamDay } from '../../../../src/platform/dates.ts';

type Doc = IncomingDetail['doc'];

/**
 * A titled card with a submit button and the server's error, for one action; `confirm`: asked first (an action
 * that cannot be taken back). Not sent while a field shows its own error (a date typed «31/11/2026» keeps the
 * last valid value behind it, which would go out unseen): that field gets the focus instead.
 */
function ActionCard({ title, submit, onSubmit, pending, error, children, color, confirm }: { title: string; submit: string; onSubmit: () => void; pending: boolean; error: unknown; children: ReactNode; color?: string; confirm?: string }) {
  const { t } = useI18n();
  // a required field left empty (or only spaces), named in Vietnamese: the browser's own bubble speaks the
  // browser's language («Please fill out this field.») and lets a reason of spaces through
  const [missing, setMissing] = useState<{ field: string; isChoice: boolean } | null>(null);
  return (
    <Card withBorder radius="md">
      <form noValidate onSubmit={(e) => {
        e.preventDefault();
        const fields = e.currentTarget;
        const empty = [...fields.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[required], textarea[required]')].find((el) => !el.value.trim());
        const invalid = empty ?? fields.querySelector<HTMLElement>('[aria-invalid="true"]');
        setMissing(empty ? { field: (empty.labels?.[0]?.textContent ?? '').replace(/\s*\*\s*$/, '').trim(), isChoice: empty.getAttribute('role') === 'combobox' } : null);
        // to the middle of the screen: at its top edge the field would sit under the sticky header
        if (invalid) { invalid.scrollIntoView({ block: 'center' }); invalid.focus({ preventScroll: true }); }
        else if (!confirm || window.confirm(confirm)) onSubmit();
      }}>
        <Stack gap="sm">
          <Title order={4}>{title}</Title>
          {children}
          {missing && <Alert color="red" data-testid="action-missing">{t(missing.isChoice ? 'incoming.form.missingChoice' : 'incoming.form.missing', { field: missing.field })}</Alert>}
          {error ? <Alert color="red">{errorMessage(error, t)}</Alert> : null}
          <Group justify="flex-end"><Button type="submit" loading={pending} color={color}>{submit}</Button></Group>
        </Stack>
      </form>
    </Card>
  );
}

/**
 * One action on the document; `done` is said once it went through («Đã vào sổ, số đến 03»): the form that was
 * tapped folds away or empties, and on a phone what changed is often a screen or two away from it.
 */
function useAction<A, R>(id: string, call: (args: A) => Promise<R>, done?: (result: R) => string) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: (result) => {
    if (done) notifications.show({ color: 'teal', message: done(result) });
    void queryClient.invalidateQueries({ queryKey: incomingKeys.all });
  } });
}

const str = (v: string | null | undefined) => v ?? '';

type Entry = {
  issuerName: string; issuerCode: string; number: string; notation: string; documentDate: string; typeCode: string; subject: string; urgency: string;
  secrecy: string; pageCount: number; signerName: string; signerPosition: string; dueDate: string; notes: string;
};
const GUESSED = ['issuerName', 'number', 'notation', 'documentDate', 'typeCode', 'subject', 'signerName', 'signerPosition'] as const;

// What OCR read fills the fields still empty and untouched — never what the clerk typed or chose.
function fillFromOcr(entry: Entry, guess: Doc['ocrGuess'], touched: ReadonlySet<keyof Entry>): Entry {
  if (!guess) return entry;
  const next = { ...entry };
  for (const k of GUESSED) {
    const value = guess[k];
    if (value && !touched.has(k) && (k === 'typeCode' || !entry[k])) next[k] = value;
  }
  return next;
}

type OcrSender = { issuerName: string; issuerCode: string; matchedFrom: string | null; printedName: string };

// the sender put to a name vanthu knows (or written as ND 30 writes names) takes the place of the capitals OCR
// read — unless the clerk typed one; its code fills an empty, untouched code
function fillSender(entry: Entry, sender: OcrSender, touched: ReadonlySet<keyof Entry>): Entry {
  const next = { ...entry };
  if (!touched.has('issuerName')) next.issuerName = sender.issuerName;
  if (sender.issuerCode && !touched.has('issuerCode') && !entry.issuerCode) next.issuerCode = sender.issuerCode;
  return next;
}

/** The clerk's register entry, prefilled from the document (electronic metadata) or from the OCR'd scan (paper). */
export function RegisterForm({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const reference = useQuery({ queryKey: ['registers', 'reference'], queryFn: () => unwrap(api.registers.reference.$get()), staleTime: Infinity });
  const touched = useRef(new Set<keyof Entry>());
  const [v, setEntry] = useState<Entry>(() => fillFromOcr({
    issuerName: doc.issuerName, issuerCode: doc.issuerCode, number: doc.number, notation: doc.notation, documentDate: str(doc.documentDate),
    typeCode: doc.typeCode ?? 'cong_van', subject: doc.subject, urgency: doc.urgency, secrecy: doc.secrecy, pageCount: doc.pageCount ?? 1,
    signerName: doc.signerName, signerPosition: doc.signerPosition, dueDate: str(doc.dueDate), notes: doc.notes,
  }, doc.ocrGuess, touched.current));
  // OCR usually finishes while the clerk is on this page (the detail polls until it does)
  const guess = doc.ocrGuess;
  useEffect(() => setEntry((cur) => fillFromOcr(cur, guess, touched.current)), [guess]);
  const senderQuery = useQuery({
    queryKey: [...incomingKeys.detail(doc.id), 'ocr-sender', guess?.issuerName ?? ''], enabled: !!guess?.issuerName, staleTime: Infinity,
    queryFn: () => unwrap(api.incoming[':id']['ocr-sender'].$get({ param: { id: doc.id } })),
  });
  const sender = senderQuery.data?.data ?? null;
  useEffect(() => { if (sender) setEntry((cur) => fillSender(cur, sender, touched.current)); }, [sender]);
  const setV = (next: Entry) => {
    for (const k of Object.keys(next) as (keyof Entry)[]) if (next[k] !== v[k]) touched.current.add(k);
    setEntry(next);
  };
  const set = (k: keyof Entry) => (e: { currentTarget: { value: string } }) => setV({ ...v, [k]: e.currentTarget.value });
  const { date } = useI18n();
  const action = useAction(doc.id, (confirmDuplicate: boolean) => unwrap(api.incoming[':id'].register.$post({ param: { id: doc.id }, json: {
    ...v, typeCode: v.typeCode as 'cong_van', urgency: v.urgency as 'thuong', secrecy: v.secrecy as 'thuong', pageCount: Number(v.pageCount) || null, dueDate: v.dueDate || null,
    ...(confirmDuplicate && { confirmDuplicate: true }),
  } })), (res) => t('incoming.register.done', { n: `${res.data.arrivalNumberText ?? ''}/${res.data.arrivalYear ?? ''}` }));
  // the same document already registered (a scan received twice, the paper copy of an electronic one): the
  // server refuses it (incoming.possible_duplicate, no số đến taken) until the clerk says yes here
  const register = () => action.mutate(false, { onError: (error) => {
    if (!isApiError(error) || error.code !== 'incoming.possible_duplicate') return;
    const twin = error.details as { arrivalNumberText?: string } | undefined;
    const yes = window.confirm(t('incoming.register.twinConfirm', {
      doc: [[v.number, v.notation].filter(Boolean).join('/'), date(v.documentDate), v.issuerName].filter(Boolean).join(' — '),
      n: twin?.arrivalNumberText ?? '',
    }));
    if (yes) action.mutate(true); else action.reset();
  } });
  const ref = reference.data?.data;
  return (
    <ActionCard title={t('incoming.register.title')} submit={t('incoming.register')} onSubmit={register} pending={action.isPending} error={action.error}>
      {guess && <Text size="sm" c="dimmed" data-testid="register-from-ocr">{t('incoming.register.fromOcr')}</Text>}
      {sender?.matchedFrom && v.issuerName === sender.issuerName && (
        <Text size="sm" data-testid="register-sender-matched">
          {t(sender.matchedFrom === 'earlier' ? 'incoming.register.senderMatchedEarlier' : 'incoming.register.senderMatched', {
            name: sender.issuerName, code: sender.issuerCode ? ` — ${sender.issuerCode}` : '', printed: sender.printedName,
          })}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput required label={t('incoming.issuer')} value={v.issuerName} onChange={set('issuerName')} />
        <TextInput label={t('incoming.issuerCode')} value={v.issuerCode} onChange={set('issuerCode')} />
        <TextInput label={t('incoming.numberField')} value={v.number} onChange={set('number')} />
        <TextInput label={t('incoming.notation')} value={v.notation} onChange={set('notation')} />
        <VnDateInput required label={t('incoming.documentDate')} value={v.documentDate} onChange={(iso) => setV({ ...v, documentDate: iso })} invalidMessage={t('doc.date.invalid')} />
        <Select label={t('incoming.type')} data={(ref?.documentTypes ?? []).map((d) => ({ value: d.code, label: d.name }))} value={v.typeCode} onChange={(x) => x && setV({ ...v, typeCode: x })} searchable />
        <Select label={t('incoming.urgency')} data={(ref?.urgencies ?? []).map((d) => ({ value: d.code, label: d.name }))} value={v.urgency} onChange={(x) => x && setV({ ...v, urgency: x })} />
        <Select label={t('incoming.secrecy')} data={(ref?.secrecyLevels ?? []).map((d) => ({ value: d.code, label: d.name }))} value={v.secrecy} onChange={(x) => x && setV({ ...v, secrecy: x })} />
        <NumberInput label={t('incoming.pageCount')} min={1} value={v.pageCount} onChange={(x) => setV({ ...v, pageCount: Number(x) || 1 })} />
        <VnDateInput label={t('incoming.dueDate')} value={v.dueDate} onChange={(iso) => setV({ ...v, dueDate: iso })} invalidMessage={t('doc.date.invalid')} />
        <TextInput label={t('incoming.signerName')} value={v.signerName} onChange={set('signerName')} />
        <TextInput label={t('incoming.signerPosition')} value={v.signerPosition} onChange={set('signerPosition')} />
      </SimpleGrid>
      <Textarea required label={t('incoming.subject')} value={v.subject} onChange={set('subject')} autosize minRows={2} />
      <TextInput label={t('incoming.notes')} value={v.notes} onChange={set('notes')} />
    </ActionCard>
  );
}

/** The clerk returns a wrongly addressed or invalid electronic document (status 02 with the reason). */
export function RefuseForm({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const action = useAction(doc.id, () => unwrap(api.incoming[':id'].refuse.$post({ param: { id: doc.id }, json: { reason } })), () => t('incoming.refuse.done'));
  return (
    <ActionCard title={t('incoming.refuse')} submit={t('incoming.refuse')} color="red" confirm={t('incoming.refuse.confirm', { sender: doc.issuerName })} onSubmit={() => action.mutate(undefined)} pending={action.isPending} error={action.error}>
      <TextInput required label={t('incoming.refuse.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
    </ActionCard>
  );
}

const useDirectory = () => useQuery({ queryKey: incomingKeys.directory, queryFn: fetchDirectory, staleTime: 5 * 60_000 });

/**
 * The clerk forwards the document to a leader for direction. Forwarded already (to change the leader, or
 * to remind them), the form says whom it waits for; the one leader to choose is chosen already — the only
 * leader at first, the only other one when forwarding again.
 */
export function ForwardForm({ doc }: { doc: Doc }) {
  const { t } = useI18n();
  const directory = useDirectory();
  const leaders = (directory.data?.data.users ?? []).filter((u) => u.roles.includes('leader'));
  const currentId = doc.status === 'forwarded' ? doc.forwardedTo : null;
  const others = leaders.filter((u) => u.id !== currentId);
  const [picked, setPicked] = useState<string | null>(null);
  const leaderId = picked ?? (others.length === 1 ? others[0]?.id ?? null : null);
  const action = useAction(doc.id, () => unwrap(api.incoming[':id'].forward.$post({ param: { id: doc.id }, json: { leaderId: leaderId ?? '' } })),
    () => t('incoming.forward.done', { leader: leaders.find((u) => u.id === leaderId)?.fullName ?? '' }));
  const options = leaders.map((u) => ({ value: u.id, label: `${u.fullName}${u.position ? ` — ${u.position}` : ''}${u.id === currentId ? ` (${t('incoming.forward.current')})` : ''}` }));
  return (
    <ActionCard title={t(currentId ? 'incoming.forward.again' : 'incoming.forward')} submit={t('incoming.forward')} onSubmit={() => action.mutate(undefined, { onSuccess: () => setPicked(null) })} pending={action.isPending} error={action.error}>
      {currentId && doc.waitingFor && (
        <Text size="sm" data-testid="forward-waiting-for">{t('incoming.forward.waiting', { leader: leaderLabel(doc.waitingFor) })}</Text>
      )}
      <Select required label={t('incoming.forward.leader')} data={options} value={leaderId} onChange={setPicked} searchable />
    </ActionCard>
  );
}

/** Units, then people, under their own headings: a leader on a phone tells «Phòng Tổng hợp» from a person at a glance. */
function assigneeOptions(dir: Directory | undefined, t: ReturnType<typeof useI18n>['t']) {
  const unitName = new Map((dir?.units ?? []).map((u) => [u.id, u.name]));
  return [
    { group: t('incoming.assignee.units'), items: (dir?.units ?? []).map((u) => ({ value: `unit:${u.id}`, label: u.name })) },
    { group: t('incoming.assignee.people'), items: (dir?.users ?? []).map((u) => ({ value: `user:${u.id}`, label: `${u.fullName}${u.unitId ? ` (${unitName.get(u.unitId) ?? ''})` : ''}` })) },
  ];
}
const toAssignee = (v: string) => (v.startsWith('unit:') ? { unitId: v.slice(5) } : { userId: v.slice(5) });

type Assignment = IncomingDetail['assignments'][number];
const assigneeKey = (a: Assignment) => (a.unitId ? `unit:${a.unitId}` : `user:${a.userId ?? ''}`);

/**
 * The leader's direction (bút phê): lead, support, for-information and a deadline. Once given, the form
 * folds behind «Điều chỉnh chỉ đạo», prefilled with the current direction: a new one replaces every
 * assignment (the units' own ones too), so a second tap on a slow network must not send it again unseen.
 */
export function DirectForm({ doc, assignments }: { doc: Doc; assignments: readonly Assignment[] }) {
  const { t } = useI18n();
  const directory = useDirectory();
  const options = assigneeOptions(directory.data?.data, t);
  const isRedirect = doc.status === 'assigned';
  const [isOpen, setOpen] = useState(!isRedirect);
  const current = assignments.filter((a) => a.isActive && !a.parentId);
  const keysOf = (role: string) => current.filter((a) => a.role === role).map(assigneeKey);
  const [direction, setDirection] = useState(isRedirect ? str(doc.direction) : '');
  const [lead, setLead] = useState<string | null>(keysOf('lead')[0] ?? null);
  const [support, setSupport] = useState<string[]>(keysOf('support'));
  const [info, setInfo] = useState<string[]>(keysOf('info'));
  const [deadline, setDeadline] = useState(str(doc.dueDate));
  const action = useAction(doc.id, () => unwrap(api.incoming[':id'].direct.$post({ param: { id: doc.id }, json: {
    direction, lead: toAssignee(lead ?? ''), support: support.map(toAssignee), info: info.map(toAssignee), deadline: deadline || null,
  } })), () => t(isRedirect ? 'incoming.redirect.done' : 'incoming.direct.done'));
  // a deadline already past (a slip of the year or month) makes the document overdue the moment it is given;
  // the one it has (an overdue document directed again) may stay
  const isPastDeadline = !!deadline && deadline < vietnamDay() && deadline !== str(doc.dueDate);
  if (!isOpen) {
    return (
      <Card withBorder radius="md" data-testid="redirect-card">
        <Group justify="space-between" gap="sm">
          <Text size="sm" c="dimmed" style={{ flex: '1 1 14rem' }}>{t('incoming.redirect.help')}</Text>
          <Button variant="default" onClick={() => setOpen(true)}>{t('incoming.redirect')}</Button>
        </Group>
      </Card>
    );
  }
  const title = t(isRedirect ? 'incoming.redirect' : 'incoming.direct');
  return (
    <ActionCard title={title} submit={title} onSubmit={() => action.mutate(undefined, { onSuccess: () => setOpen(false) })} pending={action.isPending} error={action.error}>
      {isRedirect && <Alert color="yellow" variant="light">{t('incoming.redirect.warning')}</Alert>}
      <Textarea required label={t('incoming.direction')} value={direction} onChange={(e) => setDirection(e.currentTarget.value)} autosize minRows={2} />
      <Select required label={t('incoming.lead')} data={options} value={lead} onChange={setLead} searchable />
      <MultiSelect label={t('incoming.support')} data={options} value={support} onChange={setSupport} searchable />
      <MultiSelect label={t('incoming.info')} data={options} value={info} onChange={setInfo} searchable />
      <VnDateInput label={t('incoming.deadline')} value={deadline} onChange={setDeadline} invalidMessage={t('doc.date.invalid')}
        error={isPastDeadline ? t('incoming.deadline.past') : undefined} />
      {isRedirect && <Group justify="flex-start"><Button variant="subtle" size="xs" onClick={() => setOpen(false)}>{t('app.cancel')}</Button></Group>}
    </ActionCard>
  );
}

/** A unit head gives their unit's part to people of the unit. */
export function ReassignForm({ doc, assignment }: { doc: Doc; assignment: IncomingDetail['assignments'][number] }) {
  const { t } = useI18n();
  const directory = useDirectory();
  const people = (directory.data?.data.users ?? []).filter((u) => u.unitId === assignment.unitId);
  const [userId, setUserId] = useState<string | null>(null);
  const [role, setRole] = useState<string>(assignment.role === 'lead' ? 'lead' : 'support');
  const [note, setNote] = useState('');
  const action = useAction(doc.id, () => unwrap(api.incoming[':id'].reassign.$post({ param: { id: doc.id }, json: { assignmentId: assignment.id, users: [{ userId: userId ?? '', role: role as 'lead' }], note, deadline: null } })),
    () => t('incoming.reassign.done', { name: people.find((u) => u.id === userId)?.fullName ?? '' }));
  return (
    <ActionCard title={`${t('incoming.reassign')}: ${assignment.unitName ?? ''}`} submit={t('incoming.reassign')} onSubmit={() => action.mutate(undefined)} pending={action.isPending} error={action.error}>
      <Select required label={t('incoming.reassign.to')} data={people.map((u) => ({ value: u.id, label: u.fullName }))} value={userId} onChange={setUserId} />
      <Select label={t('incoming.reassign.role')} value={role} onChange={(x) => x && setRole(x)}
        data={[...(assignment.role === 'lead' ? [{ value: 'lead', label: t('incoming.lead') }] : []), { value: 'support', label: t('incoming.support') }, { value: 'info', label: t('incoming.info') }]} />
      <TextInput label={t('incoming.direction')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
    </ActionCard>
  );
}

/** The handler's progress on their part: text, result file, the reply's number, done. */
export function ProgressForm({ doc, assignmentId }: { doc: Doc; assignmentId: string }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [response, setResponse] = useState('');
  const [isDone, setDone] = useState(false);
  const action = useAction(doc.id, async () => {
    const uploaded = file ? await uploadFiles((init) => api.incoming[':id'].results.$post({ param: { id: doc.id }, query: { assignmentId } }, { init }), [file]) : null;
    await unwrap(api.incoming[':id'].progress.$post({ param: { id: doc.id }, json: {
      assignmentId, text, isDone, ...(uploaded && { fileId: uploaded.data.id }), ...(response.trim() && { response: { notation: response.trim() } }),
    } }));
    // a clean form for the next note: the reply's number or the file must not go out twice
    setText('');
    setFile(null);
    setResponse('');
    setDone(false);
  }, () => t('incoming.progress.done'));
  return (
    <ActionCard title={t('incoming.myPart')} submit={t('incoming.progress.submit')} onSubmit={() => action.mutate(undefined)} pending={action.isPending} error={action.error}>
      <Textarea label={t('incoming.progress.text')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={2} />
      <FileInput label={t('incoming.progress.file')} value={file} onChange={setFile} clearable />
      <TextInput label={t('incoming.progress.response')} value={response} onChange={(e) => setResponse(e.currentTarget.value)} />
      <Checkbox label={t('incoming.progress.isDone')} checked={isDone} onChange={(e) => setDone(e.currentTarget.checked)} />
    </ActionCard>
  );
}

/** The lead closes the document (after a confirmation naming the parts still open); or reopens a closed one with a reason. */
export function CloseReopenForm({ doc, mode, openParts = 0 }: { doc: Doc; mode: 'close' | 'reopen'; openParts?: number }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const action = useAction(doc.id, () => mode === 'close'
    ? unwrap(api.incoming[':id'].close.$post({ param: { id: doc.id }, json: { note: text } }))
    : unwrap(api.incoming[':id'].reopen.$post({ param: { id: doc.id }, json: { reason: text } })), () => t(mode === 'close' ? 'incoming.close.done' : 'incoming.reopen.done'));
  return (
    <ActionCard title={t(mode === 'close' ? 'incoming.close' : 'incoming.reopen')} submit={t(mode === 'close' ? 'incoming.close' : 'incoming.reopen')} color={mode === 'close' ? 'teal' : 'orange'}
      confirm={mode === 'close' ? t(openParts > 0 ? 'incoming.close.confirmOpen' : 'incoming.close.confirm', { n: String(openParts) }) : undefined}
      onSubmit={() => action.mutate(undefined)} pending={action.isPending} error={action.error}>
      <Textarea required={mode === 'reopen'} label={t(mode === 'close' ? 'incoming.close.note' : 'incoming.reopen.reason')} value={text} onChange={(e) => setText(e.currentTarget.value)} autosize />
    </ActionCard>
  );
}
