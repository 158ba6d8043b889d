import { Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n.tsx';

/** A SHA-256 in hex as certificate tools print it (`openssl x509 -fingerprint -sha256`, Windows): upper case, bytes joined by colons. */
export const fingerprintText = (sha256: string) => (sha256.toUpperCase().match(/../g) ?? []).join(':');

/**
 * A certificate's SHA-256 fingerprint, for an administrator to compare with the one the certification authority
 * publishes before trusting it: roots of different installs' demo CAs, for one, share a name.
 */
export function Fingerprint({ sha256 }: { sha256: string }) {
  const { t } = useI18n();
  return <Text size="xs" c="dimmed" ff="monospace" style={{ overflowWrap: 'anywhere' }} data-testid="certificate-fingerprint">{t('ui.fingerprint', { value: fingerprintText(sha256) })}</Text>;
}
