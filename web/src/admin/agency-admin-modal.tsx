import { PasswordInput, SimpleGrid, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { api, unwrap } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { FormModal } from '../ui/form-modal.tsx';
import type { Agency } from './agencies.page.tsx';

const USERNAME_RE = /^[a-z0-9._-]{3,64}$/;
const FIELD_CODES = { 'user.username_taken': 'username', 'user.email_taken': 'email', 'auth.weak_password': 'password' };
const empty = { username: '', fullName: '', email: '', position: '', password: '' };

/** A province admin gives an agency of the tree its administrator: the admin role, a temporary password. */
export function AgencyAdminModal({ agency, onClose }: { agency: Agency | null; onClose: () => void }) {
  const { t } = useI18n();
  const form = useForm({
    initialValues: empty,
    validate: {
      username: (v) => (USERNAME_RE.test(v.trim().toLowerCase()) ? null : t('users.username.help')),
      fullName: (v) => (v.trim() ? null : t('app.required')),
      password: (v) => (v.length >= 8 ? null : t('password.tooShort')),
    },
  });
  const save = async (v: typeof form.values) => {
    if (!agency) return false;
    const username = v.username.trim().toLowerCase();
    await unwrap(api.orgs.agencies[':id'].admins.$post({ param: { id: agency.id }, json: { username, fullName: v.fullName.trim(), email: v.email.trim(), position: v.position.trim(), password: v.password } }));
    notifications.show({ color: 'teal', message: t('agencyAdmin.created', { username, agency: agency.name }), autoClose: 10_000 });
  };
  return (
    <FormModal opened={agency !== null} onClose={onClose} size="lg" title={t('agencyAdmin.create')} saveLabel={t('agencyAdmin.create')}
      form={form} onSave={save} codeFields={FIELD_CODES} intro={<Text size="sm" c="dimmed">{t('agencyAdmin.help', { agency: agency?.name ?? '' })}</Text>}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('users.username')} description={t('users.username.help')} withAsterisk autoCapitalize="none" spellCheck={false} data-autofocus {...form.getInputProps('username')} />
        <TextInput label={t('users.fullName')} withAsterisk {...form.getInputProps('fullName')} />
        <TextInput label={t('users.email')} description={t('users.email.help')} type="email" autoComplete="off" {...form.getInputProps('email')} />
        <TextInput label={t('users.position')} {...form.getInputProps('position')} />
      </SimpleGrid>
      <PasswordInput label={t('agencyAdmin.password')} description={t('password.rule')} withAsterisk autoComplete="new-password" {...form.getInputProps('password')} />
    </FormModal>
  );
}
