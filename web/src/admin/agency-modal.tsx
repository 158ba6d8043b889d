import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { InferRequestType } from 'hono/client';
import { api, unwrap } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { FormModal } from '../ui/form-modal.tsx';
import { treeOptions } from './tree.ts';
import type { Agency } from './agencies.page.tsx';

type Level = InferRequestType<typeof api.orgs.agencies.$post>['json']['level'];
const LEVELS = ['central', 'province', 'department', 'district', 'commune', 'other'] as const satisfies readonly Level[];
const isLevel = (v: string): v is Level => (LEVELS as readonly string[]).includes(v);

/** The agency code of QCVN 102:2016 (the server checks the same pattern). */
export const AGENCY_CODE_RE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;

/** What the agency form edits: an existing agency (name and contacts), or a new one under `parentId`. */
export type AgencyFormTarget = { agency: Agency } | { parentId: string | null };

const empty = { parentId: '', code: '', name: '', shortName: '', level: 'department', governingName: '', placeName: '', address: '', phone: '', email: '', website: '' };

/** The form's values for an agency being edited, or for a new one under the chosen parent. */
function startValues(target: AgencyFormTarget | null): typeof empty {
  if (!target || !('agency' in target)) return { ...empty, parentId: target?.parentId ?? '' };
  const a = target.agency;
  return { ...empty, parentId: a.parentId ?? '', code: a.code, name: a.name, shortName: a.shortName, level: a.level, governingName: a.governingName ?? '', placeName: a.placeName, address: a.address, phone: a.phone, email: a.email, website: a.website };
}

/** Creates a subordinate agency (code validated inline) or edits an agency's name and contacts. */
export function AgencyFormModal({ target, agencies, onClose }: { target: AgencyFormTarget | null; agencies: Agency[]; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const editing = target && 'agency' in target ? target.agency : null;
  const form = useForm({
    initialValues: empty,
    validateInputOnChange: ['code'],
    validate: {
      parentId: (v) => (editing || v ? null : t('app.required')),
      code: (v) => (editing || AGENCY_CODE_RE.test(v.trim()) ? null : t('agencies.code.invalid')),
      name: (v) => (v.trim().length >= 2 ? null : t('app.required')),
      shortName: (v) => (v.trim() ? null : t('app.required')),
    },
  });
  const save = async (v: typeof form.values) => {
    const contacts = { name: v.name.trim(), shortName: v.shortName.trim(), placeName: v.placeName.trim(), address: v.address.trim(), phone: v.phone.trim(), email: v.email.trim(), website: v.website.trim() };
    if (editing) {
      await unwrap(api.orgs.agencies[':id'].$patch({ param: { id: editing.id }, json: { ...contacts, governingName: v.governingName.trim() || null } }));
    } else {
      const level = isLevel(v.level) ? v.level : 'other';
      await unwrap(api.orgs.agencies.$post({ json: { ...contacts, parentId: v.parentId, code: v.code.trim(), level } }));
    }
    await client.invalidateQueries({ queryKey: ['agencies'] });
    await client.invalidateQueries({ queryKey: ['session'] });
    notifications.show({ color: 'teal', message: editing ? t('app.saved') : t('agencies.created') });
  };
  return (
    <FormModal opened={target !== null} onClose={onClose} size="lg" title={editing ? t('agencies.edit') : t('agencies.create')}
      form={form} onSave={save} codeFields={{ 'agency.code_taken': 'code' }}
      initialValues={startValues(target)}>
      {!editing && (
        <>
          <Select label={t('agencies.parent')} data={treeOptions(agencies)} withAsterisk allowDeselect={false} searchable {...form.getInputProps('parentId')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('agencies.code')} description={t('agencies.code.help')} placeholder="000.00.00.H99" withAsterisk
              ff="monospace" autoCapitalize="characters" spellCheck={false} {...form.getInputProps('code')} />
            <Select label={t('agencies.level')} allowDeselect={false} {...form.getInputProps('level')}
              data={LEVELS.map((l) => ({ value: l, label: t(`agencies.level.${l}`) }))} />
          </SimpleGrid>
        </>
      )}
      {editing && <TextInput label={t('agencies.governingName')} description={t('agencies.governingName.help')} {...form.getInputProps('governingName')} />}
      <TextInput label={t('agencies.name')} withAsterisk {...form.getInputProps('name')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('agencies.shortName')} description={t('agencies.shortName.help')} withAsterisk maxLength={30} {...form.getInputProps('shortName')} />
        <TextInput label={t('agencies.placeName')} description={t('agencies.placeName.help')} {...form.getInputProps('placeName')} />
      </SimpleGrid>
      <TextInput label={t('agencies.address')} {...form.getInputProps('address')} />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label={t('agencies.phone')} type="tel" {...form.getInputProps('phone')} />
        <TextInput label={t('agencies.email')} type="email" {...form.getInputProps('email')} />
        <TextInput label={t('agencies.website')} type="url" {...form.getInputProps('website')} />
      </SimpleGrid>
    </FormModal>
  );
}
