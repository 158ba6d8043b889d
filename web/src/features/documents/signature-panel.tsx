import { Accordion, Alert, Badge, Card, ColorSwatch, Group, List, Stack, Text, ThemeIcon } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import IconShieldCheck from '@tabler/icons-react/dist/esm/icons/IconShieldCheck.mjs';
import IconShieldX from '@tabler/icons-react/dist/esm/icons/IconShieldX.mjs';
import IconShieldQuestion from '@tabler/icons-react/dist/esm/icons/IconShieldQuestion.mjs';
import type { TIndication, TMissingIssuer, TSignatureReport, TVerifyReport } from '../../../../src/domain/signing/verify/verify.types.ts';
import { isApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { Fingerprint } from '../../ui/fingerprint.tsx';
import { ErrorState, LoadingState } from '../../ui/states.tsx';
import { getJson } from './documents-api.ts';

const INDICATION: Record<TIndication, { color: string; label: MessageKey; Icon: typeof IconShieldCheck }> = {
  'TOTAL-PASSED': { color: 'teal', label: 'doc.sig.passed', Icon: IconShieldCheck },
  'TOTAL-FAILED': { color: 'red', label: 'doc.sig.failed', Icon: IconShieldX },
  INDETERMINATE: { color: 'yellow', label: 'doc.sig.indeterminate', Icon: IconShieldQuestion },
};
const CHECK_COLOR: Record<string, string> = { passed: 'teal', failed: 'red', unknown: 'yellow', 'not-applicable': 'gray' };

/** Whether the server lacks the verification endpoint (route missing): the panel says so instead of failing. */
function isUnavailable(error: unknown): boolean {
  return isApiError(error) && (error.code === 'route.not_found' || error.status === 405 || error.status === 501);
}

/**
 * The signatures of one stored file as the server's verifier reports them (TVerifyReport:
 * GET /api/verification/documents/:kind/:docId/files/:fileId): overall indication, then each
 * signature with signer, organisation, time, PAdES level and its checks.
 */
export function SignaturePanel({ reportUrl }: { reportUrl: string }) {
  const { t } = useI18n();
  const report = useQuery({ queryKey: ['verification', reportUrl], queryFn: () => getJson<{ data: TVerifyReport }>(reportUrl), staleTime: 5 * 60_000 });
  return (
    <Card withBorder radius="md" padding="md" data-testid="signature-panel">
      <Text fw={600} mb="sm">{t('doc.sig.title')}</Text>
      {report.isPending ? <LoadingState minHeight={80} /> : report.isError ? (
        isUnavailable(report.error)
          ? <Alert color="gray" variant="light" data-testid="signature-unavailable">{t('doc.sig.unavailable')}</Alert>
          : <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.data.signatureCount === 0 ? <Text size="sm" c="dimmed">{t('doc.sig.none')}</Text> : (
        <SignatureReportView report={report.data.data} />
      )}
    </Card>
  );
}

/** A verification report: the overall indication, then each signature (also used by the public check page). */
export function SignatureReportView({ report }: { report: TVerifyReport }) {
  const { t, dateTime } = useI18n();
  return (
    <Stack gap="sm">
      <Overall report={report} />
      <Accordion variant="separated" chevronPosition="right">
        {report.signatures.map((s) => <SignatureItem key={s.index} sig={s} />)}
      </Accordion>
      <Text size="xs" c="dimmed">{t('doc.sig.validatedAt', { time: dateTime(report.validationTime) })}</Text>
    </Stack>
  );
}

function Overall({ report }: { report: TVerifyReport }) {
  const { t } = useI18n();
  const look = INDICATION[report.indication];
  return (
    <Group wrap="nowrap" align="flex-start" gap="sm">
      <ThemeIcon size={36} radius="md" variant="light" color={look.color}><look.Icon size={22} /></ThemeIcon>
      <div style={{ minWidth: 0 }}>
        <Badge color={look.color} data-testid="signature-indication">{t(look.label)}</Badge>
        <Text size="sm" mt={4}>{report.summary}</Text>
      </div>
    </Group>
  );
}

function SignatureItem({ sig }: { sig: TSignatureReport }) {
  const { t, dateTime } = useI18n();
  const look = INDICATION[sig.indication];
  const name = sig.kind === 'document-timestamp' ? t('doc.sig.timestamp') : (sig.signerName ?? sig.fieldName);
  return (
    <Accordion.Item value={String(sig.index)}>
      <Accordion.Control>
        <Group gap="xs" wrap="nowrap">
          <Badge size="sm" color={look.color} variant="light" style={{ flex: 'none' }}>{t(look.label)}</Badge>
          <Text size="sm" fw={500} truncate>{name}</Text>
        </Group>
      </Accordion.Control>
      <Accordion.Panel>
        <Stack gap={4}>
          {sig.organisation && <Text size="sm"><Text span c="dimmed">{t('doc.sig.organisation')}: </Text>{sig.organisation}</Text>}
          <Text size="sm"><Text span c="dimmed">{t('doc.sig.time')}: </Text>{sig.signingTime ? dateTime(sig.signingTime) : t('app.none')}</Text>
          <Text size="sm"><Text span c="dimmed">{t('doc.sig.level')}: </Text>{sig.level}</Text>
          <Text size="sm">{sig.summary}</Text>
          {sig.missingIssuer && <MissingIssuer missing={sig.missingIssuer} />}
          {sig.timestamps.map((ts, i) => ts.missingIssuer && <MissingIssuer key={i} missing={ts.missingIssuer} timestamp />)}
          <Text size="xs" fw={600} c="dimmed" mt={4}>{t('doc.sig.checks')}</Text>
          <List size="sm" spacing={2}>
            {sig.checks.map((c) => (
              <List.Item key={c.name} icon={<ColorSwatch size={8} color={`var(--mantine-color-${CHECK_COLOR[c.status] ?? 'gray'}-6)`} withShadow={false} aria-label={c.status} />}>
                <Text size="xs" title={c.name}>{c.message}</Text>
              </List.Item>
            ))}
          </List>
        </Stack>
      </Accordion.Panel>
    </Accordion.Item>
  );
}

/**
 * The certificate a chain lacks (report.missingIssuer), said so a clerk can pass it on: «add root X to the trust
 * store», with an untrusted root's fingerprint and the issuer addresses tried and what they gave.
 */
function MissingIssuer({ missing, timestamp = false }: { missing: TMissingIssuer; timestamp?: boolean }) {
  const { t } = useI18n();
  const org = missing.organisation && missing.organisation !== missing.commonName ? ` (${missing.organisation})` : '';
  const text = t(missing.reason === 'untrusted-root' ? 'check.missing.root' : 'check.missing.issuer', { name: missing.commonName ?? missing.name, org });
  return (
    <Alert color="yellow" variant="light" p="xs" mt={4} data-testid="signature-missing-issuer">
      <Text size="sm" title={missing.name}>{timestamp ? t('check.missing.timestamp', { text }) : text}</Text>
      {missing.sha256 && <Fingerprint sha256={missing.sha256} />}
      {missing.caIssuers.map((a) => <Text key={a.url} size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>{t('check.missing.tried', { url: a.url, problem: a.problem })}</Text>)}
    </Alert>
  );
}
