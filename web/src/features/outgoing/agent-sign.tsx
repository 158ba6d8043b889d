import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Code, Group, Loader, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import IconSignature from '@tabler/icons-react/dist/esm/icons/IconSignature.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { SignOutcome } from './outgoing-api.ts';
import type { CertificateValidity } from './certificate-expiry.tsx';
import { isAgentError, listAgentCertificates, saveAgentUrl, savedAgentUrl, signOnAgent, type AgentCertificate } from './signing-agent-client.ts';

type Step = 'prepare' | 'sign' | 'finish';
/** The registered personal certificate, as GET /api/outgoing/signing-info tells it. */
export type RegisteredCertificate = (CertificateValidity & { sha256: string; hasServerKey: boolean }) | null;

const commonName = (subject: string) => /CN=([^,]+)/.exec(subject)?.[1] ?? subject;

/**
 * Signing with a USB token through the signing agent on this computer: finds the agent, lists the
 * token's certificates, asks the PIN once, then prepare (server) → sign (agent) → finish (server).
 * The PIN goes only to the agent. Reports one outcome per document through `onDone`.
 */
export function AgentSign({ ids, registered, submitLabel, onCancel, onDone }: {
  ids: string[]; registered: RegisteredCertificate; submitLabel: string; onCancel: () => void; onDone: (outcomes: SignOutcome[]) => void;
}) {
  const { t, date } = useI18n();
  const [url, setUrl] = useState(savedAgentUrl);
  const [chosen, setChosen] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [pinError, setPinError] = useState<string | null>(null);
  const [step, setStep] = useState<Step | null>(null);
  const certificates = useQuery({ queryKey: ['signing-agent', url], queryFn: () => listAgentCertificates(url), retry: false, staleTime: 0 });
  const list = certificates.data?.certificates ?? [];
  const preferred = list.find((c) => c.sha256 === registered?.sha256) ?? (registered ? undefined : list[0]);
  const selected = list.find((c) => c.sha256 === chosen) ?? preferred;
  const sign = useMutation({
    mutationFn: (certificate: AgentCertificate) => signThroughAgent({ url, ids, pin, certificate, setStep }),
    onSuccess: onDone,
    onError: (e) => setPinError(isAgentError(e) && e.code === 'signing.token_bad_pin' ? e.message : null),
    onSettled: () => setStep(null),
  });
  const failure = sign.error && !pinError ? (isAgentError(sign.error) ? (sign.error.code === 'agent.unreachable' ? t('outgoing.agent.lost') : sign.error.message) : errorMessage(sign.error, t)) : null;
  return (
    <form onSubmit={(e) => { e.preventDefault(); setPinError(null); if (selected && pin) sign.mutate(selected); }}>
      <Stack gap="md">
        <TextInput label={t('outgoing.agent.url')} description={t('outgoing.agent.urlHelp')} value={url}
          onChange={(e) => { setUrl(e.currentTarget.value.trim()); saveAgentUrl(e.currentTarget.value.trim()); }} />
        {certificates.isPending && <Group gap="xs"><Loader size="sm" /><Text size="sm">{t('outgoing.agent.searching')}</Text></Group>}
        {certificates.isError && <AgentMissing error={certificates.error} onRetry={() => void certificates.refetch()} />}
        {certificates.isSuccess && list.length === 0 && <Alert color="yellow" variant="light" role="alert">{t('outgoing.agent.noCertificates')}</Alert>}
        {list.length > 0 && (
          <Radio.Group label={t('outgoing.agent.certificate')} value={selected?.sha256 ?? null} onChange={setChosen}>
            <Stack gap="xs" mt={6}>
              {list.map((c) => (
                <Radio key={c.sha256} value={c.sha256} label={
                  <Stack gap={2}>
                    <Group gap={6}><Text size="sm" fw={500}>{commonName(c.subject)}</Text>{c.sha256 === registered?.sha256 && <Badge size="xs" color="teal" variant="light">{t('outgoing.agent.registered')}</Badge>}</Group>
                    <Text size="xs" c="dimmed">{commonName(c.issuer)} · {t('outgoing.agent.validity', { from: date(c.notBefore), to: date(c.notAfter) })}</Text>
                  </Stack>} />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {list.length > 0 && registered && !list.some((c) => c.sha256 === registered.sha256) && <Alert color="yellow" variant="light" role="alert">{t('outgoing.agent.notRegistered')}</Alert>}
        {list.length > 0 && !registered && <Text size="sm" c="dimmed">{t('outgoing.agent.firstUse')}</Text>}
        {selected && (
          <PasswordInput label={t('outgoing.agent.pin')} description={t('outgoing.agent.pinHelp')} value={pin} onChange={(e) => setPin(e.currentTarget.value)}
            error={pinError} autoComplete="off" inputMode="numeric" data-autofocus />
        )}
        {step && <Group gap="xs"><Loader size="sm" /><Text size="sm" role="status">{t(`outgoing.agent.step.${step}`)}</Text></Group>}
        {failure && <Alert color="red" variant="light" role="alert">{failure}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>{t('app.cancel')}</Button>
          <Button type="submit" leftSection={<IconSignature size={18} />} loading={sign.isPending} disabled={!selected || !pin}>{submitLabel}</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The single-file agent for Windows, offered when the server has a build of it (GET /downloads/…, 404 otherwise). */
const WINDOWS_AGENT = '/downloads/vanthu-ky-so-win-x64.exe';

function AgentMissing({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useI18n();
  const unreachable = !isAgentError(error) || error.code === 'agent.unreachable';
  const download = useQuery({ queryKey: ['signing-agent-download'], queryFn: async () => (await fetch(WINDOWS_AGENT, { method: 'HEAD' })).ok, enabled: unreachable, staleTime: Infinity, retry: false });
  const command = `vanthu signing-agent --pkcs11 /đường/dẫn/thư-viện-pkcs11 --origin ${window.location.origin}`;
  return (
    <Alert color="orange" variant="light" role="alert" data-testid="agent-missing">
      <Stack gap="xs">
        <Text size="sm" fw={500}>{unreachable ? t('outgoing.agent.notRunning') : error.message}</Text>
        {unreachable && download.data === true && (
          <Text size="sm"><Anchor href={WINDOWS_AGENT} download data-testid="agent-download">{t('outgoing.agent.download')}</Anchor> — {t('outgoing.agent.downloadHelp')}</Text>
        )}
        {unreachable && <Text size="sm">{t('outgoing.agent.howToStart')}</Text>}
        {unreachable && <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{command}</Code>}
        <Group><Button size="xs" variant="light" onClick={onRetry}>{t('outgoing.agent.retry')}</Button></Group>
      </Stack>
    </Alert>
  );
}

/** prepare on the server → sign on the token → finish on the server; documents the token refused keep the token's reason. */
async function signThroughAgent(o: { url: string; ids: string[]; pin: string; certificate: AgentCertificate; setStep: (s: Step) => void }): Promise<SignOutcome[]> {
  o.setStep('prepare');
  const prepared = (await unwrap(api.outgoing.sign.prepare.$post({ json: { ids: o.ids, certificate: o.certificate.certificate, chain: o.certificate.chain } }))).data;
  o.setStep('sign');
  const { results } = await signOnAgent(o.url, { pin: o.pin, certificate: o.certificate.certificate, items: prepared.items });
  const signatures = results.flatMap((r) => (r.ok ? [{ id: r.id, signature: r.signature }] : []));
  const refused: SignOutcome[] = results.flatMap((r) => (r.ok ? [] : [{ id: r.id, ok: false as const, code: r.code, message: r.message }]));
  if (signatures.length === 0) return refused;
  o.setStep('finish');
  const finished = (await unwrap(api.outgoing.sign[':sessionId'].finish.$post({ param: { sessionId: prepared.sessionId }, json: { signatures } }))).data;
  const byId = new Map([...finished, ...refused].map((r) => [r.id, r]));
  return o.ids.flatMap((id) => byId.get(id) ?? []);
}
