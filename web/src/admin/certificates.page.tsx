import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Card, FileInput, Group, PasswordInput, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconAlertCircle from '@tabler/icons-react/dist/esm/icons/IconAlertCircle.mjs';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import { api, isApiError, unwrap } from '../api/client.ts';
import { errorMessage } from '../api/forms.ts';
import { hasAnyRole, useSession } from '../auth/session.ts';
import { useI18n, type Translate } from '../i18n/i18n.tsx';
import { Field } from '../ui/field.tsx';
import { Fingerprint } from '../ui/fingerprint.tsx';
import { FormModal } from '../ui/form-modal.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { useDirectory } from '../features/outgoing/outgoing-api.ts';

type Certificate = InferResponseType<typeof api.outgoing.certificates.$get, 200>['data'][number];

const KEY = ['outgoing', 'certificates'] as const;
const TRUST_KEY = ['verification', 'trust'] as const;
const EXPIRING_DAYS = 30;

/** A file's bytes as base64 (the API takes files inside JSON, like the personal certificate always did). */
async function fileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Red «Đã hết hạn» after its end, orange «Còn N ngày» within EXPIRING_DAYS of it (days as the server counts them, in Vietnam), else «Đang dùng». */
function CertificateState({ cert }: { cert: Certificate }) {
  const { t } = useI18n();
  if (cert.isExpired) return <Badge color="crimson" variant="light">{t('certs.state.expired')}</Badge>;
  if (cert.daysLeft <= EXPIRING_DAYS) {
    return <Badge color="orange" variant="light">{cert.daysLeft === 0 ? t('certs.state.lastDay') : t('certs.state.daysLeft', { days: cert.daysLeft })}</Badge>;
  }
  return <Badge color="teal" variant="light">{t('certs.state.active')}</Badge>;
}

function CertificateFacts({ cert }: { cert: Certificate }) {
  const { t, date } = useI18n();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
      <Field label={t('certs.subject')} value={cert.subject} />
      <Field label={t('certs.serial')} value={cert.serialHex} />
      <Field label={t('certs.validity')} value={t('certs.validity.range', { from: date(cert.notBefore), to: date(cert.notAfter) })} />
      <Field label={t('certs.image')} value={t(cert.hasImage ? 'certs.image.yes' : 'certs.image.no')} />
      <Field label={t('certs.chain')} value={cert.issuers.length > 0 ? cert.issuers.join(' → ') : t('certs.chain.none')} />
    </SimpleGrid>
  );
}

/** Certificate files without a key: DER or PEM certificates, PEM bundles, PKCS#7 .p7b. */
const CERTIFICATE_FILES = '.cer,.crt,.pem,.der,.p7b,.p7c,application/pkix-cert,application/x-x509-ca-cert,application/x-pkcs7-certificates';
const isPkcs12 = (file: File) => /\.(p12|pfx)$/i.test(file.name);

const required = (t: Translate) => (v: File | null) => (v ? null : t('certs.file.required'));

/** The agency admin installs (or replaces) the agency's seal PKCS#12, its password and its seal image. */
function SealModal({ opened, title, onClose }: { opened: boolean; title: string; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const form = useForm<{ p12: File | null; password: string; image: File | null }>({
    initialValues: { p12: null, password: '', image: null },
    validate: { p12: required(t) },
  });
  const save = async (v: typeof form.values) => {
    if (!v.p12) return false;
    const json = { p12: await fileBase64(v.p12), password: v.password, ...(v.image && { image: await fileBase64(v.image) }) };
    await unwrap(api.outgoing.certificates.seal.$post({ json }));
    await client.invalidateQueries({ queryKey: KEY });
    notifications.show({ color: 'teal', message: t('certs.seal.saved') });
  };
  return (
    <FormModal opened={opened} onClose={onClose} size="lg" title={title} form={form} onSave={save} codeFields={{
      'signing.p12_bad_password': 'password', 'signing.p12_invalid': 'p12', 'certificates.invalid': 'p12', 'certificates.expired': 'p12',
      'certificates.chain_broken': 'p12', 'certificates.chain_expired': 'p12', 'signing.image_invalid': 'image', 'signing.image_not_transparent': 'image',
    }}>
      <FileInput label={t('certs.seal.file')} accept=".p12,.pfx,application/x-pkcs12" withAsterisk clearable {...form.getInputProps('p12')} />
      <PasswordInput label={t('certs.seal.password')} description={t('certs.seal.password.help')} autoComplete="new-password" {...form.getInputProps('password')} />
      <FileInput label={t('certs.seal.image')} description={t('certs.seal.image.help')} accept="image/png" clearable {...form.getInputProps('image')} />
    </FormModal>
  );
}

/** The agency admin registers a signer's certificate (no key: it stays on their USB token) and signature image. */
function PersonalModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const { users } = useDirectory();
  const form = useForm<{ userId: string | null; certificate: File | null; chain: File | null; password: string; image: File | null }>({
    initialValues: { userId: null, certificate: null, chain: null, password: '', image: null },
    validate: { userId: (v) => (v ? null : t('app.required')), certificate: required(t) },
  });
  // Leaders and unit heads sign; anyone active may be chosen (a deputy, a new leader not yet given the role).
  const signsFirst = (roles: readonly string[]) => (roles.includes('leader') || roles.includes('unit_head') ? 0 : 1);
  const options = users.filter((u) => u.isActive).sort((a, b) => signsFirst(a.roles) - signsFirst(b.roles))
    .map((u) => ({ value: u.id, label: `${u.fullName}${u.position ? ` — ${u.position}` : ''}` }));
  // The certificate names someone else: the server's message (both names) and «Vẫn đăng ký», which saves again confirming it.
  const [mismatch, setMismatch] = useState<string | null>(null);
  const isConfirming = useRef(false);
  useEffect(() => setMismatch(null), [opened]);
  const save = async (v: typeof form.values) => {
    const confirmNameMismatch = isConfirming.current;
    isConfirming.current = false;
    setMismatch(null);
    if (!v.userId || !v.certificate) return false;
    // The files go as they are: the server reads DER, PEM, .p7b and .p12 and puts the chain in order.
    const json = {
      userId: v.userId, certificate: await fileBase64(v.certificate), ...(v.chain && { chain: await fileBase64(v.chain) }), ...(isPkcs12(v.certificate) && { password: v.password }),
      ...(v.image && { image: await fileBase64(v.image) }), ...(confirmNameMismatch && { confirmNameMismatch }),
    };
    try {
      await unwrap(api.outgoing.certificates.personal.$post({ json }));
    } catch (e) {
      if (!isApiError(e) || e.code !== 'certificates.name_mismatch') throw e;
      setMismatch(e.message);
      return false;
    }
    await client.invalidateQueries({ queryKey: KEY });
    notifications.show({ color: 'teal', message: t('certs.personal.saved') });
  };
  return (
    <FormModal opened={opened} onClose={onClose} size="lg" title={t('certs.personal.add')} form={form} onSave={save} codeFields={{
      'certificates.invalid': 'certificate', 'certificates.expired': 'certificate', 'certificates.chain_broken': 'chain', 'certificates.chain_expired': 'chain', 'signing.p12_bad_password': 'password',
      'signing.image_invalid': 'image', 'signing.image_not_transparent': 'image',
    }}>
      {mismatch && (
        <Alert color="orange" variant="light" icon={<IconAlertCircle size={20} />} role="alert" data-testid="certificate-name-mismatch">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{mismatch}</Text>
            <Button size="xs" color="orange" loading={form.submitting} onClick={(e) => { isConfirming.current = true; e.currentTarget.form?.requestSubmit(); }}>{t('certs.personal.confirmName')}</Button>
          </Stack>
        </Alert>
      )}
      <Select label={t('certs.personal.user')} data={options} searchable withAsterisk {...form.getInputProps('userId')} onChange={(v) => { setMismatch(null); form.setFieldValue('userId', v); }} />
      <FileInput label={t('certs.personal.file')} description={t('certs.personal.file.help')} accept={`${CERTIFICATE_FILES},.p12,.pfx,application/x-pkcs12`} withAsterisk clearable
        {...form.getInputProps('certificate')} onChange={(f) => { setMismatch(null); form.setFieldValue('certificate', f); }} />
      {form.values.certificate && isPkcs12(form.values.certificate) && (
        <PasswordInput label={t('certs.personal.password')} autoComplete="off" {...form.getInputProps('password')} />
      )}
      <FileInput label={t('certs.personal.chain')} description={t('certs.personal.chain.help')} accept={CERTIFICATE_FILES} clearable {...form.getInputProps('chain')} />
      <FileInput label={t('certs.personal.image')} description={t('certs.personal.image.help')} accept="image/png" clearable {...form.getInputProps('image')} />
    </FormModal>
  );
}

/** The province admin: the install's trusted roots and intermediates (the verifier's trust store), added from files and taken out. */
function TrustCard() {
  const { t, date } = useI18n();
  const client = useQueryClient();
  const trust = useQuery({ queryKey: TRUST_KEY, queryFn: () => unwrap(api.verification.trust.$get()) });
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<string>) => {
    setError(null);
    setBusy(true);
    try {
      notifications.show({ color: 'teal', message: await action() });
      await client.invalidateQueries({ queryKey: TRUST_KEY });
    } catch (e) {
      setError(errorMessage(e, t));
    } finally {
      setBusy(false);
    }
  };
  const add = () => run(async () => {
    const form = new FormData();
    if (file) form.append('file', file);
    const added = await unwrap(api.verification.trust.$post(undefined, { init: { body: form } }));
    setFile(null);
    return t('certs.trust.added', { count: added.data.length });
  });
  const remove = (fileName: string) => run(async () => {
    await unwrap(api.verification.trust[':fileName'].$delete({ param: { fileName } }));
    return t('certs.trust.removed');
  });
  const entries = trust.data?.data.entries ?? [];
  return (
    <Card withBorder radius="md" data-testid="trusted-certificates">
      <Text fw={600}>{t('certs.trust.title')}</Text>
      <Text size="sm" c="dimmed" mb="sm">{t('certs.trust.help')}</Text>
      <Stack gap="sm">
        {error && <Alert color="crimson" variant="light" icon={<IconAlertCircle size={20} />} role="alert">{error}</Alert>}
        {trust.data?.data.demoCa && <Text size="sm">{t('certs.trust.demo')}</Text>}
        {trust.isSuccess && entries.length === 0 && <Alert color="orange" variant="light" icon={<IconAlertCircle size={20} />}>{t('certs.trust.none')}</Alert>}
        {entries.map((e) => (
          <Card key={e.sha256} withBorder radius="sm" p="sm" data-testid="trusted-certificate">
            <Group justify="space-between" wrap="wrap" align="flex-start" gap="xs">
              <div style={{ minWidth: 0, flex: '1 1 220px' }}>
                <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>{e.subject}</Text>
                <Text size="xs" c="dimmed">{t(e.isRoot ? 'certs.trust.root' : 'certs.trust.intermediate')} · {t('certs.trust.until', { date: date(e.notAfter) })}</Text>
                <Fingerprint sha256={e.sha256} />
              </div>
              <Button size="xs" variant="subtle" color="crimson" loading={busy} onClick={() => void remove(e.fileName)}>{t('certs.trust.remove')}</Button>
            </Group>
          </Card>
        ))}
        <Group align="flex-end" wrap="wrap">
          <FileInput label={t('certs.trust.file')} accept=".cer,.crt,.pem,.der,application/pkix-cert,application/x-x509-ca-cert" clearable value={file} onChange={setFile} style={{ flex: '1 1 240px' }} />
          <Button variant="default" leftSection={<IconPlus size={16} />} disabled={!file} loading={busy} onClick={() => void add()}>{t('certs.trust.add')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

/**
 * The agency admin's certificates: the seal certificate the clerk's issuing applies (without it nothing can
 * be issued), and the signers' personal certificates with their signature images; for a province admin also
 * the install's trusted roots, without which no signature is confirmed valid.
 */
export default function CertificatesPage() {
  const { t } = useI18n();
  const { data: session } = useSession();
  const list = useQuery({ queryKey: KEY, queryFn: () => unwrap(api.outgoing.certificates.$get()) });
  const [editing, setEditing] = useState<'seal' | 'personal' | null>(null);
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  const active = list.data.data.filter((c) => c.isActive);
  const seal = active.find((c) => c.purpose === 'seal');
  const personal = active.filter((c) => c.purpose === 'personal');
  const close = () => setEditing(null);
  return (
    <Stack gap="md" maw={900}>
      <PageHeader title={t('certs.title')} subtitle={t('certs.subtitle')} />
      <Card withBorder radius="md" data-testid="seal-certificate">
        <Group justify="space-between" mb="sm" wrap="wrap">
          <Text fw={600}>{t('certs.seal.title')}</Text>
          {seal && <CertificateState cert={seal} />}
        </Group>
        <Stack gap="sm">
          {seal ? <CertificateFacts cert={seal} /> : <Alert color="orange" variant="light" icon={<IconAlertCircle size={20} />}>{t('certs.seal.none')}</Alert>}
          <Group><Button variant={seal ? 'default' : 'filled'} onClick={() => setEditing('seal')}>{t(seal ? 'certs.seal.replace' : 'certs.seal.install')}</Button></Group>
        </Stack>
      </Card>
      <Card withBorder radius="md" data-testid="personal-certificates">
        <Text fw={600}>{t('certs.personal.title')}</Text>
        <Text size="sm" c="dimmed" mb="sm">{t('certs.personal.help')}</Text>
        <Stack gap="sm">
          {personal.length === 0 && <Text size="sm">{t('certs.personal.none')}</Text>}
          {personal.map((c) => (
            <Card key={c.id} withBorder radius="sm" p="sm">
              <Group justify="space-between" mb="xs" wrap="wrap">
                <Text fw={500}>{c.userFullName}{c.userPosition ? ` — ${c.userPosition}` : ''}</Text>
                <CertificateState cert={c} />
              </Group>
              <CertificateFacts cert={c} />
            </Card>
          ))}
          <Group><Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => setEditing('personal')}>{t('certs.personal.add')}</Button></Group>
        </Stack>
      </Card>
      {session && hasAnyRole(session.user, ['province_admin']) && <TrustCard />}
      <SealModal opened={editing === 'seal'} title={t(seal ? 'certs.seal.replace' : 'certs.seal.install')} onClose={close} />
      <PersonalModal opened={editing === 'personal'} onClose={close} />
    </Stack>
  );
}
