import { useState } from 'react';
import { Badge, Button, Card, Checkbox, Group, MultiSelect, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { InferRequestType, InferResponseType } from 'hono/client';
import IconPencil from '@tabler/icons-react/dist/esm/icons/IconPencil.mjs';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import { DOCUMENT_TYPES, formatDocumentNumber } from '../../../src/domain/registers/document-types.ts';
import { api, unwrap } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { FormModal } from '../ui/form-modal.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';

type Register = InferResponseType<typeof api.registers.$get, 200>['data'][number];
type Kind = InferRequestType<typeof api.registers.$post>['json']['kind'];
type TypeCode = NonNullable<InferRequestType<typeof api.registers.$post>['json']['documentTypes']>[number];

const KEY = ['registers', 'list'] as const;
const KINDS = ['outgoing', 'incoming', 'copy'] as const satisfies readonly Kind[];
const TYPE_OPTIONS = DOCUMENT_TYPES.map((d) => ({ value: d.code, label: d.name }));
const typeName = (code: string) => DOCUMENT_TYPES.find((d) => d.code === code)?.name ?? code;
const isTypeCode = (v: string): v is TypeCode => DOCUMENT_TYPES.some((d) => d.code === v);
const isKind = (v: string): v is Kind => (KINDS as readonly string[]).includes(v);

/** What the register form edits: an existing register (name, types, in use), or a new one. */
type Target = { register: Register } | { kind: Kind };

function RegisterModal({ target, onClose }: { target: Target | null; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const editing = target && 'register' in target ? target.register : null;
  const form = useForm({
    initialValues: { kind: 'outgoing' as Kind, name: '', isSecret: false, documentTypes: [] as string[], isActive: true },
    validate: { name: (v) => (v.trim() ? null : t('app.required')) },
  });
  const save = async (v: typeof form.values) => {
    const documentTypes = v.documentTypes.filter(isTypeCode);
    if (editing) {
      await unwrap(api.registers[':id'].$patch({ param: { id: editing.id }, json: { name: v.name.trim(), documentTypes: documentTypes.length ? documentTypes : null, isActive: v.isActive } }));
    } else {
      await unwrap(api.registers.$post({ json: { kind: v.kind, name: v.name.trim(), isSecret: v.isSecret, documentTypes: documentTypes.length ? documentTypes : null } }));
    }
    await client.invalidateQueries({ queryKey: ['registers'] });
    notifications.show({ color: 'teal', message: t('registers.saved') });
  };
  return (
    <FormModal opened={target !== null} onClose={onClose} size="lg" title={t(editing ? 'registers.edit' : 'registers.create')}
      form={form} onSave={save} codeFields={{ 'register.name_taken': 'name' }}
      initialValues={editing
        ? { kind: isKind(editing.kind) ? editing.kind : 'outgoing', name: editing.name, isSecret: editing.isSecret, documentTypes: editing.documentTypes ?? [], isActive: editing.isActive }
        : { kind: target && 'kind' in target ? target.kind : 'outgoing', name: '', isSecret: false, documentTypes: [], isActive: true }}>
      {!editing && <Select label={t('registers.kind')} allowDeselect={false} data={KINDS.map((k) => ({ value: k, label: t(`registers.kind.${k}`) }))} {...form.getInputProps('kind')} />}
      <TextInput label={t('registers.name')} withAsterisk placeholder="Sổ đăng ký Quyết định" {...form.getInputProps('name')} />
      {!editing && <Checkbox label={t('registers.secret')} {...form.getInputProps('isSecret', { type: 'checkbox' })} />}
      <MultiSelect label={t('registers.types')} description={t('registers.types.help')} data={TYPE_OPTIONS} searchable clearable {...form.getInputProps('documentTypes')} />
      {editing && <Checkbox label={t('registers.isActive')} {...form.getInputProps('isActive', { type: 'checkbox' })} />}
    </FormModal>
  );
}

/** The agency admin's registers, by kind: series, Mật, document types, this year's last number; add one, rename, restrict, stop using. */
export default function RegistersPage() {
  const { t } = useI18n();
  const list = useQuery({ queryKey: KEY, queryFn: () => unwrap(api.registers.$get()) });
  const [target, setTarget] = useState<Target | null>(null);
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const registers = list.data.data;
  return (
    <Stack gap="md" maw={900}>
      <PageHeader title={t('registers.title')} subtitle={t('registers.subtitle')}
        actions={<Button leftSection={<IconPlus size={18} />} onClick={() => setTarget({ kind: 'outgoing' })}>{t('registers.create')}</Button>} />
      {KINDS.map((kind) => (
        <Card key={kind} withBorder radius="md" data-testid={`registers-${kind}`}>
          <Title order={3} fz="md" mb="sm">{t(`registers.kind.${kind}`)}</Title>
          <Stack gap="xs">
            {registers.filter((r) => r.kind === kind).map((r) => (
              <Group key={r.id} justify="space-between" wrap="nowrap" align="flex-start" data-testid="register-row"
                style={{ borderTop: '1px solid var(--mantine-color-gray-2)', paddingTop: 8 }}>
                <div style={{ minWidth: 0 }}>
                  <Group gap={6}>
                    <Text fw={500}>{r.name}</Text>
                    {r.isSecret && <Badge size="sm" color="crimson" variant="light">{t('registers.secretBadge')}</Badge>}
                    <Badge size="sm" color={r.isActive ? 'teal' : 'gray'} variant="light">{t(r.isActive ? 'registers.active' : 'registers.inactive')}</Badge>
                  </Group>
                  <Text size="xs" c="dimmed">{r.documentTypes?.length ? r.documentTypes.map(typeName).join(', ') : t('registers.types.all')}</Text>
                  <Text size="xs" c="dimmed">{r.lastNumber ? t('registers.last', { year: r.year, number: formatDocumentNumber(r.lastNumber) }) : t('registers.last.none', { year: r.year })}</Text>
                </div>
                <Button size="xs" variant="subtle" style={{ flex: 'none' }} leftSection={<IconPencil size={14} />} onClick={() => setTarget({ register: r })} aria-label={`${t('registers.edit')}: ${r.name}`}>{t('app.edit')}</Button>
              </Group>
            ))}
          </Stack>
        </Card>
      ))}
      <RegisterModal target={target} onClose={() => setTarget(null)} />
    </Stack>
  );
}
