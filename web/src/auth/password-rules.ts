import type { Translate } from '../i18n/i18n.tsx';

/** Client-side hint for a new password (the server's auth.weak_password is the rule that counts). */
export function validateNewPassword(t: Translate) {
  return (value: string) => (value.length >= 8 ? null : t('password.tooShort'));
}

/** The repeat field must equal `newPassword`. */
export function validateConfirm(t: Translate) {
  return (value: string, values: { newPassword: string }) => (value === values.newPassword ? null : t('password.mismatch'));
}

/** Server codes that belong on a password form's fields. */
export const PASSWORD_ERROR_FIELDS = { 'auth.weak_password': 'newPassword', 'auth.wrong_password': 'currentPassword' } as const;
