import { useEffect } from 'react';
import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import { api, unwrap } from '../api/client.ts';
import { errorMessage } from '../api/forms.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { FormModal } from '../ui/form-modal.tsx';
import { subtreeIds, treeOptions } from './tree.ts';
import type { Unit } from './units.page.tsx';

/** What the unit form edits: an existing unit, or a new one under `parentId` (null: directly under the agency). */
export type UnitFormTarget = { unit: Unit } | { parentId: string | null };

const NO_PARENT = '';

/** Creates or edits (renames, moves, reorders) a unit. */
export function UnitFormModal({ target, units, onClose }: { target: UnitFormTarget | null; units: Unit[]; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const editing = target && 'unit' in target ? target.unit : null;
  const form = useForm({
    initialValues: { name: '', shortName: '', parentId: NO_PARENT, sortOrder: 0 },
    validate: { name: (v) => (v.trim() ? null : t('app.required')) },
  });
  const parentOptions = [{ value: NO_PARENT, label: t('units.parent.none') }, ...treeOptions(units, editing ? subtreeIds(units, editing.id) : undefined)];
  const save = async (values: typeof form.values) => {
    const body = { name: values.name.trim(), shortName: values.shortName.trim(), parentId: values.parentId || null, sortOrder: values.sortOrder };
    if (editing) await unwrap(api.orgs.units[':id'].$patch({ param: { id: editing.id }, json: body }));
    else await unwrap(api.orgs.units.$post({ json: body }));
    await client.invalidateQueries({ queryKey: ['units'] });
    notifications.show({ color: 'teal', message: editing ? t('app.saved') : t('units.created') });
  };
  return (
    <FormModal opened={target !== null} onClose={onClose} title={editing ? t('units.edit') : t('units.create')}
      form={form} onSave={save} codeFields={{ 'unit.name_taken': 'name', 'unit.bad_parent': 'parentId' }}
      initialValues={editing
        ? { name: editing.name, shortName: editing.shortName, parentId: editing.parentId ?? NO_PARENT, sortOrder: editing.sortOrder }
        : { name: '', shortName: '', parentId: (target && 'parentId' in target ? target.parentId : null) ?? NO_PARENT, sortOrder: 0 }}>
      <TextInput label={t('units.name')} withAsterisk data-autofocus {...form.getInputProps('name')} />
      <TextInput label={t('units.shortName')} description={t('units.shortName.help')} maxLength={30} {...form.getInputProps('shortName')} />
      <Select label={t('units.parent')} data={parentOptions} allowDeselect={false} searchable {...form.getInputProps('parentId')} />
      <NumberInput label={t('units.sortOrder')} min={0} max={10000} allowDecimal={false} {...form.getInputProps('sortOrder')} />
    </FormModal>
  );
}

/** Confirms deleting a unit; the server's 409 (unit.not_empty) message is shown in the dialog. */
export function DeleteUnitModal({ unit, onClose }: { unit: Unit | null; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.orgs.units[':id'].$delete({ param: { id } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['units'] });
      notifications.show({ color: 'teal', message: t('units.deleted') });
      onClose();
    },
  });
  useEffect(() => remove.reset(), [unit]); // forget the previous unit's error
  return (
    <Modal opened={unit !== null} onClose={onClose} title={<Text fw={600}>{t('app.delete')}</Text>} centered>
      <Stack>
        <Text size="sm">{t('units.delete.confirm', { name: unit?.name ?? '' })}</Text>
        {remove.isError && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{errorMessage(remove.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
          <Button color="crimson" loading={remove.isPending} onClick={() => unit && remove.mutate(unit.id)}>{t('app.delete')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
