import { useEffect } from 'react';
import { Alert, Button, Checkbox, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import { ROLES, type Role } from '../../../src/policies/actor.ts';
import { api, unwrap } from '../api/client.ts';
import { errorMessage } from '../api/forms.ts';
import { rolesOf } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { FormModal } from '../ui/form-modal.tsx';
import type { User } from './users.page.tsx';

/** What the user form edits: an existing user, or a new one (optionally pre-placed in a unit). */
export type UserFormTarget = { user: User } | { unitId: string | null };

const NO_UNIT = '';
const USERNAME_RE = /^[a-z0-9._-]{3,64}$/;
const FIELD_CODES = { 'user.username_taken': 'username', 'user.email_taken': 'email', 'user.bad_unit': 'unitId', 'auth.weak_password': 'password', 'user.self_lockout': 'roles' };

const empty = { username: '', fullName: '', email: '', position: '', unitId: NO_UNIT, roles: [] as string[], password: '', mustChangePassword: true };

/** Creates a user (username, roles, initial password) or edits one (name, email, position, unit, roles). */
export function UserFormModal({ target, unitOptions, onClose }: { target: UserFormTarget | null; unitOptions: { value: string; label: string }[]; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const editing = target && 'user' in target ? target.user : null;
  const form = useForm({
    initialValues: empty,
    validate: {
      username: (v) => (editing || USERNAME_RE.test(v.trim().toLowerCase()) ? null : t('users.username.help')),
      fullName: (v) => (v.trim() ? null : t('app.required')),
      roles: (v) => (v.length > 0 ? null : t('users.roles.required')),
      password: (v) => (editing || v.length >= 8 ? null : t('password.tooShort')),
    },
  });
  const save = async (v: typeof form.values) => {
    const roles = ROLES.filter((r): r is Role => v.roles.includes(r));
    const common = { fullName: v.fullName.trim(), email: v.email.trim(), position: v.position.trim(), unitId: v.unitId || null, roles };
    if (editing) {
      await unwrap(api.users[':id'].$patch({ param: { id: editing.id }, json: common }));
      notifications.show({ color: 'teal', message: t('app.saved') });
    } else {
      const username = v.username.trim().toLowerCase();
      await unwrap(api.users.$post({ json: { ...common, username, password: v.password, mustChangePassword: v.mustChangePassword } }));
      notifications.show({ color: 'teal', message: t('users.created', { username }) });
    }
    await client.invalidateQueries({ queryKey: ['users'] });
  };
  return (
    <FormModal opened={target !== null} onClose={onClose} size="lg" title={editing ? t('users.edit') : t('users.create')}
      form={form} onSave={save} codeFields={FIELD_CODES}
      initialValues={editing
        ? { ...empty, username: editing.username, fullName: editing.fullName, email: editing.email ?? '', position: editing.position, unitId: editing.unitId ?? NO_UNIT, roles: rolesOf(editing) }
        : { ...empty, unitId: (target && 'unitId' in target ? target.unitId : null) ?? NO_UNIT }}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('users.username')} description={editing ? undefined : t('users.username.help')} withAsterisk={!editing}
          disabled={!!editing} autoCapitalize="none" spellCheck={false} autoComplete="off" {...form.getInputProps('username')} />
        <TextInput label={t('users.fullName')} withAsterisk {...form.getInputProps('fullName')} />
        <TextInput label={t('users.email')} description={t('users.email.help')} type="email" autoComplete="off" {...form.getInputProps('email')} />
        <TextInput label={t('users.position')} {...form.getInputProps('position')} />
      </SimpleGrid>
      <Select label={t('users.unit')} data={[{ value: NO_UNIT, label: t('users.unit.none') }, ...unitOptions]} allowDeselect={false} searchable {...form.getInputProps('unitId')} />
      <Checkbox.Group label={t('users.roles')} withAsterisk {...form.getInputProps('roles')}>
        <SimpleGrid cols={{ base: 1, xs: 2 }} mt="xs" spacing="xs">
          {ROLES.map((r) => <Checkbox key={r} value={r} label={t(`role.${r}`)} />)}
        </SimpleGrid>
      </Checkbox.Group>
      {!editing && (
        <>
          <PasswordInput label={t('users.password')} description={t('password.rule')} withAsterisk autoComplete="new-password" {...form.getInputProps('password')} />
          <Checkbox label={t('users.password.help')} {...form.getInputProps('mustChangePassword', { type: 'checkbox' })} />
        </>
      )}
    </FormModal>
  );
}

/** An admin sets a temporary password; the user's sessions end and they must change it. */
export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const form = useForm({ initialValues: { newPassword: '' }, validate: { newPassword: (v) => (v.length >= 8 ? null : t('password.tooShort')) } });
  const save = async ({ newPassword }: typeof form.values) => {
    if (!user) return false;
    await unwrap(api.users[':id']['reset-password'].$post({ param: { id: user.id }, json: { newPassword } }));
    await client.invalidateQueries({ queryKey: ['users'] });
    notifications.show({ color: 'teal', message: t('users.resetPassword.done') });
  };
  return (
    <FormModal opened={user !== null} onClose={onClose} title={t('users.resetPassword')} saveLabel={t('users.resetPassword')}
      form={form} onSave={save} codeFields={{ 'auth.weak_password': 'newPassword' }}
      intro={<Text size="sm">{t('users.resetPassword.help', { name: user?.fullName ?? '' })}</Text>}>
      <PasswordInput label={t('users.resetPassword.new')} description={t('password.rule')} withAsterisk autoComplete="new-password" data-autofocus {...form.getInputProps('newPassword')} />
    </FormModal>
  );
}

/** Confirms deactivating (or reactivating) an account. */
export function SetActiveModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const change = useMutation({
    mutationFn: (u: User) => unwrap(api.users[':id'].$patch({ param: { id: u.id }, json: { isActive: !u.isActive } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['users'] });
      notifications.show({ color: 'teal', message: t('app.saved') });
      onClose();
    },
  });
  useEffect(() => change.reset(), [user]); // forget the previous account's error
  const deactivating = user?.isActive ?? true;
  return (
    <Modal opened={user !== null} onClose={onClose} centered title={<Text fw={600}>{deactivating ? t('users.deactivate') : t('users.activate')}</Text>}>
      <Stack>
        {deactivating && <Text size="sm">{t('users.deactivate.confirm', { name: user?.fullName ?? '' })}</Text>}
        {change.isError && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{errorMessage(change.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
          <Button color={deactivating ? 'crimson' : 'teal'} loading={change.isPending} onClick={() => user && change.mutate(user)}>
            {deactivating ? t('users.deactivate') : t('users.activate')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
