import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, type ModalProps } from '@mantine/core';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import { applyServerError } from '../api/forms.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** What the dialog uses of a Mantine `useForm` form. */
type Form<V> = {
  submitting: boolean;
  onSubmit(handler: (values: V) => Promise<void>): (event?: FormEvent<HTMLFormElement>) => void;
  setInitialValues(values: V): void;
  reset(): void;
  setFieldError(path: string, error: ReactNode): void;
};

type FormModalProps<V> = {
  opened: boolean;
  onClose: () => void;
  title: string;
  form: Form<V>;
  /** The values the form starts from each time the dialog opens (by default the form's own initial values). */
  initialValues?: V;
  /** Saves the values — the request, the lists to refresh, the notice — and throws the server's error; resolves `false` to keep the dialog open (a warning to confirm, a field marked). */
  onSave: (values: V) => Promise<void | false>;
  /** Server error codes that belong to a field, e.g. `{ 'user.username_taken': 'username' }` (see applyServerError). */
  codeFields?: Record<string, string>;
  /** The save button's words when «Lưu» says too little, e.g. «Đặt lại mật khẩu». */
  saveLabel?: string;
  /** A sentence above the fields. */
  intro?: ReactNode;
  size?: ModalProps['size'];
  /** The fields. */
  children: ReactNode;
};

/**
 * A dialog holding one form: its title, the server's error above the fields (or on a field), «Hủy» and
 * «Lưu» (busy while saving) below; it starts fresh each time it opens and closes once saved.
 */
export function FormModal<V>({ opened, onClose, title, form, initialValues, onSave, codeFields, saveLabel, intro, size, children }: FormModalProps<V>) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!opened) return;
    setError(null);
    if (initialValues) form.setInitialValues(initialValues);
    form.reset();
  }, [opened]); // the form object is stable; start afresh only when the dialog opens
  const submit = async (values: V) => {
    setError(null);
    try {
      if ((await onSave(values)) === false) return;
      onClose();
    } catch (e) {
      setError(applyServerError(form, e, t, codeFields));
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} size={size} centered title={<Text fw={600}>{title}</Text>}>
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack>
          {intro}
          {error && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{error}</Alert>}
          {children}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
            <Button type="submit" loading={form.submitting}>{saveLabel ?? t('app.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
