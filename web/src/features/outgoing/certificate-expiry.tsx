import { Alert } from '@mantine/core';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';

/** A certificate's end as the server tells it (validityOf in src/domain/certificates/certificates.service.ts). */
export type CertificateValidity = { notAfter: string; isExpired: boolean; daysLeft: number };

/** Whose certificate it is: the leader's own (the sign dialog) or the agency's seal (the clerk's issue dialog). */
type CertificateKind = 'personal' | 'seal';

/** A dialog warns when the certificate ends within these days: the admins' notices' first threshold (EXPIRY_NOTICE_DAYS). */
const EXPIRY_WARNING_DAYS = 30;

const MESSAGES = {
  personal: { expiring: 'outgoing.sign.certExpiring', lastDay: 'outgoing.sign.certLastDay', expired: 'outgoing.sign.certExpired' },
  seal: { expiring: 'outgoing.issue.sealExpiring', lastDay: 'outgoing.issue.sealLastDay', expired: 'outgoing.issue.sealExpired' },
} as const satisfies Record<CertificateKind, Record<'expiring' | 'lastDay' | 'expired', MessageKey>>;

/**
 * Says, before the person presses, that the certificate their action uses ends soon (its date, the days left, whom to
 * ask) or has ended (the action is refused with certificates.expired: red, role=alert). Nothing while it has more
 * than EXPIRY_WARNING_DAYS left, or when there is none.
 */
export function CertificateExpiryAlert({ validity, kind, testId }: { validity: CertificateValidity | null | undefined; kind: CertificateKind; testId: string }) {
  const { t, date } = useI18n();
  if (!validity || validity.daysLeft > EXPIRY_WARNING_DAYS) return null;
  const messages = MESSAGES[kind];
  const message = validity.isExpired ? messages.expired : validity.daysLeft === 0 ? messages.lastDay : messages.expiring;
  return (
    <Alert color={validity.isExpired ? 'red' : 'orange'} variant="light" role={validity.isExpired ? 'alert' : 'status'} data-testid={testId}>
      {t(message, { date: date(validity.notAfter), days: validity.daysLeft })}
    </Alert>
  );
}

/** The agency seal as the issue preview tells it: its validity, or null when the agency has none — sealWillBeMade when the issue makes the demo one. */
export type SealState = { seal: (CertificateValidity & { notBefore: string; isNotYetValid: boolean }) | null; sealWillBeMade: boolean };

/** Whether the issue would be refused for the seal (certificates.no_seal, certificates.expired): «Phát hành» is then off. */
export function isSealBlocking({ seal, sealWillBeMade }: SealState): boolean {
  return seal ? seal.isExpired || seal.isNotYetValid : !sealWillBeMade;
}

/**
 * Tells the clerk before pressing that the agency has no seal certificate to issue with, or one not valid yet (its
 * start, and whom to ask) — red, role=alert; else its end (CertificateExpiryAlert). In demo mode without a seal the issue
 * makes the demo one: the clerk is told so (blue, role=status), and that it has no legal value.
 */
export function SealAlert({ state }: { state: SealState }) {
  const { t, date } = useI18n();
  const { seal, sealWillBeMade } = state;
  if (seal && !seal.isNotYetValid) return <CertificateExpiryAlert validity={seal} kind="seal" testId="issue-seal-expiry" />;
  if (!seal && sealWillBeMade) {
    return <Alert color="blue" variant="light" role="status" data-testid="issue-seal-demo">{t('outgoing.issue.sealDemo')}</Alert>;
  }
  return (
    <Alert color="red" variant="light" role="alert" data-testid={seal ? 'issue-seal-not-yet-valid' : 'issue-seal-missing'}>
      {seal ? t('outgoing.issue.sealNotYetValid', { date: date(seal.notBefore) }) : t('outgoing.issue.sealMissing')}
    </Alert>
  );
}
