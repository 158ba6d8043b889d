import type { ReactNode } from 'react';
import type { Translate } from '../i18n/i18n.tsx';
import { isApiError } from './client.ts';

/** The text to show for any thrown value: the server's Vietnamese message, or our own for network and unknown errors. */
export function errorMessage(error: unknown, t: Translate): string {
  if (isApiError(error)) {
    if (error.code === 'app.network') return t('app.network');
    if (error.message) return error.message;
  }
  return t('app.error.unexpected');
}

type FieldForm = { setFieldError: (path: string, error: ReactNode) => void };
type FieldDetail = { path: string; message: string };

function fieldDetails(details: unknown): FieldDetail[] {
  if (typeof details !== 'object' || details === null || !('fields' in details) || !Array.isArray(details.fields)) return [];
  return details.fields.filter((f): f is FieldDetail =>
    typeof f === 'object' && f !== null && typeof f.path === 'string' && typeof f.message === 'string');
}

/**
 * Puts a server error on the form: `request.invalid` field details on their fields, and codes listed
 * in `codeFields` (e.g. `user.username_taken` → `username`) on that field. Returns the message to
 * show above the form when nothing could be placed on a field, else null.
 */
export function applyServerError(form: FieldForm, error: unknown, t: Translate, codeFields: Record<string, string> = {}): string | null {
  if (!isApiError(error)) return errorMessage(error, t);
  const field = codeFields[error.code];
  if (field) {
    form.setFieldError(field, error.message);
    return null;
  }
  if (error.code === 'request.invalid') {
    const fields = fieldDetails(error.details).filter((f) => f.path);
    for (const f of fields) form.setFieldError(f.path, f.message);
    if (fields.length > 0) return null;
  }
  return errorMessage(error, t);
}
