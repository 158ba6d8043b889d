import { Badge } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.tsx';

/** How a status reads at a glance; each domain maps its own statuses to one of these. */
export type StatusTone = 'neutral' | 'progress' | 'waiting' | 'success' | 'danger' | 'muted';

const TONE_COLOR: Record<StatusTone, string> = { neutral: 'gray', progress: 'blue', waiting: 'orange', success: 'teal', danger: 'red', muted: 'dark' };

/** A document's status as a coloured badge (label already translated by the caller). */
export function StatusBadge({ label, tone, testId }: { label: string; tone: StatusTone; testId?: string }) {
  return <Badge variant="light" color={TONE_COLOR[tone]} data-testid={testId} style={{ flex: 'none' }}>{label}</Badge>;
}

/** Urgency colours (Điều 8 ND 30): the urgent levels stand out everywhere; "Thường" shows nothing. */
export const URGENCY_COLOR: Record<string, string> = { hoa_toc_hen_gio: 'red', hoa_toc: 'red', thuong_khan: 'orange', khan: 'yellow' };

/** The urgency badge ("Khẩn", "Thượng khẩn", "Hỏa tốc"…); nothing for ordinary documents. */
export function UrgencyBadge({ code, name }: { code: string; name: string }) {
  const color = URGENCY_COLOR[code];
  if (!color || !name) return null;
  return <Badge color={color} style={{ flex: 'none' }}>{name}</Badge>;
}

/** The secrecy badge for Mật documents; nothing otherwise. */
export function SecrecyBadge({ isSecret, name }: { isSecret: boolean; name?: string }) {
  const { t } = useI18n();
  if (!isSecret) return null;
  return <Badge color="dark" style={{ flex: 'none' }}>{name || t('doc.secret')}</Badge>;
}
