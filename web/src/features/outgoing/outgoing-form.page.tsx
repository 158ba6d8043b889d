import { useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert, Button, Card, Checkbox, FileInput, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconUpload from '@tabler/icons-react/dist/esm/icons/IconUpload.mjs';
import { api, unwrap } from '../../api/client.ts';
import { applyServerError, errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { sendForm, useDirectory, useReference, type OutgoingDetail } from './outgoing-api.ts';
import { outgoingDetailQuery } from './outgoing.queries.ts';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { BOXES } from './outgoing-routes.ts';
import { ExternalRecipients, type ExternalRecipient } from './external-recipients.tsx';

const COMPETENCES = ['TM', 'KT', 'Q', 'TL', 'TUQ'] as const;
type Competence = (typeof COMPETENCES)[number];
type TypeCode = Parameters<typeof api.outgoing.$post>[0]['json']['typeCode'];
type Urgency = NonNullable<Parameters<typeof api.outgoing.$post>[0]['json']['urgency']>;
type Secrecy = NonNullable<Parameters<typeof api.outgoing.$post>[0]['json']['secrecy']>;

type Values = {
  typeCode: string; subject: string; urgency: string; secrecy: string; signerId: string | null; signerCompetence: string | null; signerPosition: string;
  unitIds: string[]; external: ExternalRecipient[]; recipientsText: string; archiveNote: string; copies: number; dueDate: string; note: string; participantIds: string[];
};

/** Create a draft (/outgoing/new) or edit one (/outgoing/:id/edit): metadata, recipients, then the main file and appendices. */
export default function OutgoingFormPage() {
  const { id } = useParams();
  // /outgoing/new?replaces=<id>: a replacement (thay thế) starts from the issued document's details.
  const [params] = useSearchParams();
  const replacesId = id ? null : params.get('replaces');
  const sourceId = id ?? replacesId ?? '';
  const detail = useQuery({ ...outgoingDetailQuery(sourceId), enabled: !!sourceId });
  const directory = useDirectory();
  const reference = useReference();
  if ((sourceId && detail.isPending) || directory.isPending || reference.isPending) return <LoadingState />;
  const error = detail.error ?? directory.error ?? reference.error;
  if (error) return <ErrorState error={error} onRetry={() => { void detail.refetch(); void reference.refetch(); }} />;
  if (replacesId) return <DraftForm key={`replaces-${replacesId}`} doc={undefined} replaces={detail.data?.data} />;
  return <DraftForm key={id ?? 'new'} doc={detail.data?.data} />;
}

function initialValues(doc: OutgoingDetail | undefined): Values {
  return {
    typeCode: doc?.typeCode ?? 'cong_van', subject: doc?.subject ?? '', urgency: doc?.urgency ?? 'thuong', secrecy: doc?.secrecy ?? 'thuong',
    signerId: doc?.signerId ?? null, signerCompetence: doc?.signerCompetence ?? null, signerPosition: doc?.signerPosition ?? '',
    unitIds: (doc?.recipients ?? []).filter((r) => r.kind === 'unit').map((r) => r.unitId ?? '').filter(Boolean),
    external: (doc?.recipients ?? []).filter((r) => r.kind !== 'unit' && r.agencyCode).map((r) => ({ code: r.agencyCode ?? '', name: r.name })),
    recipientsText: doc?.recipientsText ?? '', archiveNote: doc?.archiveNote ?? '', copies: doc?.copies ?? 1, dueDate: doc?.dueDate ?? '', note: doc?.note ?? '',
    participantIds: [...(doc?.participantIds ?? [])],
  };
}

function bodyOf(v: Values) {
  return {
    typeCode: v.typeCode as TypeCode, subject: v.subject.trim(), urgency: v.urgency as Urgency, secrecy: v.secrecy as Secrecy, signerId: v.signerId,
    signerCompetence: (v.signerCompetence as Competence | null) ?? null, signerPosition: v.signerPosition.trim(),
    recipients: [
      ...v.unitIds.map((unitId) => ({ kind: 'unit' as const, unitId })),
      ...v.external.map((e) => ({ kind: 'external' as const, agencyCode: e.code, ...(e.name && { name: e.name }) })),
    ],
    recipientsText: v.recipientsText, archiveNote: v.archiveNote, copies: v.copies, dueDate: v.dueDate || null, note: v.note, participantIds: v.participantIds,
  };
}

function DraftForm({ doc, replaces }: { doc: OutgoingDetail | undefined; replaces?: OutgoingDetail }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { users, units } = useDirectory();
  const reference = useReference().data?.data;
  const form = useForm<Values>({
    initialValues: initialValues(doc ?? replaces),
    validate: { subject: (v) => (v.trim() ? null : t('app.required')) },
  });
  const [main, setMain] = useState<File | null>(null);
  const [appendices, setAppendices] = useState<File[]>([]);
  const [isReplacing, setReplacing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A code typed in the agency field but not yet added with «Thêm».
  const [pendingAgency, setPendingAgency] = useState('');
  const createdId = useRef<string | null>(null);
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const body = bodyOf(v);
      const existingId = doc?.id ?? createdId.current;
      const saved = existingId
        ? await unwrap(api.outgoing[':id'].$patch({ param: { id: existingId }, json: body }))
        : await unwrap(api.outgoing.$post({ json: { ...body, replacesId: replaces?.id ?? null } }));
      createdId.current = saved.data.id;
      if (main || appendices.length > 0) {
        const data = new FormData();
        if (main) data.append('main', main);
        for (const a of appendices) data.append('appendix', a);
        if (isReplacing) data.append('replaceAppendices', 'true');
        await sendForm((init) => api.outgoing[':id'].files.$post({ param: { id: saved.data.id } }, { init }), data);
      }
      return saved.data;
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['outgoing'] });
      navigate(`/outgoing/${saved.id}`);
    },
    // A draft created before a failed upload is kept: the next save edits it instead of creating another.
    onError: (e) => setError(applyServerError(form, e, t, { 'outgoing.secrecy_refused': 'secrecy', 'outgoing.bad_user': 'signerId', 'outgoing.bad_recipient': 'external' })),
  });
  const people = users.filter((u) => u.isActive).map((u) => ({ value: u.id, label: `${u.fullName}${u.position ? ` — ${u.position}` : ''}` }));
  const signers = users.filter((u) => u.isActive && u.roles.some((r) => r === 'leader' || r === 'unit_head')).map((u) => ({ value: u.id, label: `${u.fullName}${u.position ? ` — ${u.position}` : ''}` }));
  // The position follows the signer unless typed by hand: an empty one, or the previous signer's, is replaced
  // (choosing Lê Thị Thu then Trần Văn Minh had left "Phó Chủ tịch" for the Chủ tịch, on the page and in the register).
  const chooseSigner = (value: string | null) => {
    const previous = users.find((x) => x.id === form.values.signerId)?.position ?? '';
    form.setFieldValue('signerId', value);
    const position = form.values.signerPosition.trim();
    if (!position || position === previous) form.setFieldValue('signerPosition', users.find((x) => x.id === value)?.position ?? '');
  };
  const submit = (v: Values) => {
    setError(null);
    if (pendingAgency) return form.setFieldError('external', t('outgoing.external.pending', { code: pendingAgency }));
    save.mutate(v);
  };
  return (
    <Stack gap="md" maw={960}>
      <PageHeader title={doc ? t('outgoing.form.editTitle') : replaces ? t('outgoing.replace.formTitle') : t('outgoing.form.newTitle')} subtitle={t('outgoing.form.subtitle')} />
      {replaces && <Alert color="blue" variant="light" data-testid="replaces-notice">{t('outgoing.replace.formHelp', { number: replaces.numberText ?? '', subject: replaces.subject })}</Alert>}
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="md">
          <Card withBorder radius="md" padding="lg">
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Select label={t('outgoing.field.type')} required searchable allowDeselect={false} data={(reference?.documentTypes ?? []).map((d) => ({ value: d.code, label: d.name }))} {...form.getInputProps('typeCode')} />
                <Select label={t('outgoing.field.urgency')} allowDeselect={false} data={(reference?.urgencies ?? []).map((u) => ({ value: u.code, label: u.name }))} {...form.getInputProps('urgency')} />
                <Select label={t('outgoing.field.secrecy')} allowDeselect={false} data={(reference?.secrecyLevels ?? []).map((s) => ({ value: s.code, label: s.name }))} {...form.getInputProps('secrecy')} />
              </SimpleGrid>
              <Textarea label={t('outgoing.field.subject')} required autosize minRows={2} maxLength={500} {...form.getInputProps('subject')} />
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Select label={t('outgoing.field.signer')} searchable clearable data={signers} {...form.getInputProps('signerId')} onChange={chooseSigner} />
                <Select label={t('outgoing.field.competence')} clearable data={COMPETENCES.map((c) => ({ value: c, label: t(`outgoing.competence.${c}`) }))} {...form.getInputProps('signerCompetence')} />
                <TextInput label={t('outgoing.field.position')} maxLength={100} {...form.getInputProps('signerPosition')} />
              </SimpleGrid>
              {form.values.secrecy === 'mat' && (
                <MultiSelect label={t('outgoing.field.participants')} description={t('outgoing.field.participantsHelp')} searchable data={people} {...form.getInputProps('participantIds')} />
              )}
            </Stack>
          </Card>
          <Card withBorder radius="md" padding="lg">
            <Text fw={600} mb="sm">{t('outgoing.recipients')}</Text>
            <Stack gap="sm">
              <MultiSelect label={t('outgoing.field.units')} searchable data={units.map((u) => ({ value: u.id, label: u.name }))} {...form.getInputProps('unitIds')} />
              <ExternalRecipients value={form.values.external} onChange={(v) => form.setFieldValue('external', v)} error={form.errors.external}
                onPending={(code) => { setPendingAgency(code); if (!code) form.clearFieldError('external'); }} />
              <Textarea label={t('outgoing.field.recipientsText')} description={t('outgoing.field.recipientsTextHelp')} autosize minRows={3} maxLength={4000} {...form.getInputProps('recipientsText')} />
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput label={t('outgoing.field.archiveNote')} maxLength={200} {...form.getInputProps('archiveNote')} />
                <NumberInput label={t('outgoing.field.copies')} min={0} max={999} allowDecimal={false} {...form.getInputProps('copies')} />
                <VnDateInput label={t('outgoing.field.dueDate')} invalidMessage={t('doc.date.invalid')} value={form.values.dueDate} onChange={(v) => form.setFieldValue('dueDate', v)} error={form.errors.dueDate} />
              </SimpleGrid>
              <TextInput label={t('outgoing.field.note')} maxLength={500} {...form.getInputProps('note')} />
            </Stack>
          </Card>
          <Card withBorder radius="md" padding="lg">
            <Text fw={600}>{t('outgoing.files')}</Text>
            <Text size="sm" c="dimmed" mb="sm">{t('outgoing.files.help')}</Text>
            <Stack gap="sm">
              <FileInput label={t('outgoing.files.main')} accept="application/pdf,.pdf,.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document" clearable value={main} onChange={setMain} leftSection={<IconUpload size={16} />} />
              <FileInput label={t('outgoing.files.appendices')} multiple accept="application/pdf,.pdf,.docx" clearable value={appendices} onChange={setAppendices} leftSection={<IconUpload size={16} />} />
              {doc && <Checkbox label={t('outgoing.files.replaceAppendices')} checked={isReplacing} onChange={(e) => setReplacing(e.currentTarget.checked)} />}
            </Stack>
          </Card>
          {error && <Alert color="red" variant="light" role="alert">{error}</Alert>}
          {save.isError && !error && <Alert color="red" variant="light" role="alert">{errorMessage(save.error, t)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate(doc ? `/outgoing/${doc.id}` : replaces ? `/outgoing/${replaces.id}` : BOXES.drafts.path)}>{t('app.cancel')}</Button>
            <Button type="submit" loading={save.isPending}>{t('outgoing.form.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
