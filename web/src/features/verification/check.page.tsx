import { useState } from 'react';
import { Alert, Anchor, Button, FileInput, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import IconFileTypePdf from '@tabler/icons-react/dist/esm/icons/IconFileTypePdf.mjs';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import type { TVerifyReport } from '../../../../src/domain/signing/verify/verify.types.ts';
import { csrfHeaders, isApiError } from '../../api/client.ts';
import { fetchSession } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { PublicLayout } from '../../ui/public-layout.tsx';
import { SignatureReportView } from '../documents/signature-panel.tsx';
// the signature report speaks with the documents' messages, which are not in the login page's download
import '../../i18n/features.ts';

const MAX_BYTES = 50 * 1024 * 1024;

/**
 * The public check page: anyone (a citizen, another agency) uploads a PDF they were given and sees
 * whether its signatures are valid. The server verifies it in memory and keeps nothing.
 */
export default function CheckPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<TVerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async () => {
    if (!file) return;
    if (file.size > MAX_BYTES) return setError(t('check.tooLarge'));
    setError(null);
    setPending(true);
    try {
      // Opened directly by a signed-in user, the page has not loaded the session: the server then asks the
      // upload for the session's CSRF token, which loading the session gives (nobody signed in: none needed).
      await fetchSession().catch(() => null);
      // A raw body (not multipart): the file streams to the server as it is.
      const res = await fetch('/api/verification/check', {
        method: 'POST', body: file, headers: { 'Content-Type': 'application/pdf', 'X-File-Name': encodeURIComponent(file.name), ...csrfHeaders() },
      });
      const body = (await res.json()) as { data?: TVerifyReport; error?: { message: string } };
      if (!res.ok || !body.data) throw new Error(body.error?.message || t('app.error.unexpected'));
      setReport(body.data);
    } catch (e) {
      setError(isApiError(e) || e instanceof Error ? e.message || t('app.network') : t('app.network'));
    } finally {
      setPending(false);
    }
  };

  return (
    <PublicLayout title={t('check.title')} subtitle={t('check.subtitle')}>
      <Stack>
        {error && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{error}</Alert>}
        {report ? (
          <>
            <Text size="sm" c="dimmed" data-testid="check-file">{t('check.fileName', { name: report.file ?? file?.name ?? '' })}</Text>
            {report.signatureCount === 0 ? <Alert color="gray" variant="light">{report.summary}</Alert> : <SignatureReportView report={report} />}
            <Button variant="light" onClick={() => { setReport(null); setFile(null); }}>{t('check.again')}</Button>
          </>
        ) : (
          <>
            <FileInput label={t('check.file')} placeholder={t('check.pick')} accept="application/pdf,.pdf" value={file} onChange={setFile}
              leftSection={<IconFileTypePdf size={18} />} clearable data-testid="check-input" />
            <Button onClick={() => void submit()} disabled={!file} loading={pending} fullWidth data-testid="check-submit">{t('check.submit')}</Button>
          </>
        )}
        <Anchor component={Link} to="/login" size="sm" ta="center">{t('check.back')}</Anchor>
      </Stack>
    </PublicLayout>
  );
}
