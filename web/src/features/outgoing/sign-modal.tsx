import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, PasswordInput, Radio, ScrollArea, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconSignature from '@tabler/icons-react/dist/esm/icons/IconSignature.mjs';
import { api, isApiError, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { outgoingKeys, type SignOutcome } from './outgoing-api.ts';
import { AgentSign } from './agent-sign.tsx';
import { CertificateExpiryAlert } from './certificate-expiry.tsx';

export type SignTarget = { id: string; subject: string };

type Mode = 'server' | 'agent';

/**
 * Signs one or many documents in ONE action and ONE PIN entry, either with the certificate the server
 * holds (demo: POST /api/outgoing/sign) or with a USB token through the signing agent on this computer
 * (prepare → agent → finish, see AgentSign). Each document gets its own outcome: signed, or the reason.
 */
export function SignModal({ docs, onClose }: { docs: SignTarget[] | null; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [pin, setPin] = useState('');
  const [pinError, setPinError] = useState<string | null>(null);
  const [chosenMode, setMode] = useState<Mode | null>(null);
  const [agentOutcomes, setAgentOutcomes] = useState<SignOutcome[] | null>(null);
  const info = useQuery({ queryKey: ['outgoing', 'signing-info'], queryFn: () => unwrap(api.outgoing['signing-info'].$get()), staleTime: Infinity, enabled: !!docs });
  const sign = useMutation({
    mutationFn: (ids: string[]) => unwrap(api.outgoing.sign.$post({ json: { ids, pin } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: outgoingKeys.all }),
    // A wrong PIN is the leader's PIN, not "the PKCS#12 file's password" the signing library speaks of.
    onError: (e) => setPinError(!isApiError(e) || !e.code.startsWith('signing.') ? null : e.code === 'signing.p12_bad_password' ? t('outgoing.sign.badPin') : errorMessage(e, t)),
  });
  useEffect(() => {
    if (docs) return;
    setPin('');
    setPinError(null);
    setAgentOutcomes(null);
    setMode(null);
    sign.reset();
  }, [docs]); // reset only when the modal closes
  const outcomes = sign.data?.data ?? agentOutcomes;
  const count = docs?.length ?? 0;
  const demoPin = info.data?.data.demoPin;
  const personal = info.data?.data.personal ?? null;
  // The server signs only with a key it holds: the registered certificate's, or (demo, none registered yet) a demo one it issues.
  const canServer = personal ? personal.hasServerKey : !!info.data?.data.demo;
  const mode: Mode = chosenMode ?? (canServer ? 'server' : 'agent');
  const submitLabel = count > 1 ? t('outgoing.sign.submitMany', { count }) : t('outgoing.sign.submit');
  const done = (o: SignOutcome[]) => {
    setAgentOutcomes(o);
    void client.invalidateQueries({ queryKey: outgoingKeys.all });
  };
  return (
    <Modal opened={!!docs} onClose={onClose} title={count > 1 ? t('outgoing.sign.titleMany', { count }) : t('outgoing.sign.title')} size="lg" fullScreen={false}>
      {outcomes ? <Outcomes outcomes={outcomes} docs={docs ?? []} onClose={onClose} /> : (
        <Stack gap="md">
          <Text size="sm">{count > 1 ? t('outgoing.sign.helpMany', { count }) : t('outgoing.sign.help')}</Text>
          <ScrollArea.Autosize mah={140}>
            <Stack gap={4}>{docs?.map((d) => <Text key={d.id} size="sm" lineClamp={1}>• {d.subject}</Text>)}</Stack>
          </ScrollArea.Autosize>
          {info.isError && <Alert color="red" variant="light" role="alert">{errorMessage(info.error, t)}</Alert>}
          <CertificateExpiryAlert validity={personal} kind="personal" testId="sign-certificate-expiry" />
          {info.isSuccess && canServer && (
            <Radio.Group label={t('outgoing.sign.mode')} value={mode} onChange={(v) => setMode(v === 'agent' ? 'agent' : 'server')}>
              <Stack gap="xs" mt={6}>
                <Radio value="server" label={t('outgoing.sign.mode.server')} />
                <Radio value="agent" label={t('outgoing.sign.mode.agent')} />
              </Stack>
            </Radio.Group>
          )}
          {info.isSuccess && mode === 'agent' && docs && (
            <AgentSign ids={docs.map((d) => d.id)} registered={personal} submitLabel={submitLabel} onCancel={onClose} onDone={done} />
          )}
          {mode === 'server' && (
            <form onSubmit={(e) => { e.preventDefault(); setPinError(null); if (docs && pin) sign.mutate(docs.map((d) => d.id)); }}>
              <Stack gap="md">
                <PasswordInput label={t('outgoing.sign.pin')} value={pin} onChange={(e) => setPin(e.currentTarget.value)} error={pinError} autoFocus
                  autoComplete="off" inputMode="numeric" description={demoPin ? t('outgoing.sign.demoPin', { pin: demoPin }) : undefined} data-autofocus />
                {sign.isError && !pinError && <Alert color="red" variant="light" role="alert">{errorMessage(sign.error, t)}</Alert>}
                <Group justify="flex-end">
                  <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
                  <Button type="submit" leftSection={<IconSignature size={18} />} loading={sign.isPending} disabled={!pin}>
                    {submitLabel}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
        </Stack>
      )}
    </Modal>
  );
}

function Outcomes({ outcomes, docs, onClose }: { outcomes: SignOutcome[]; docs: SignTarget[]; onClose: () => void }) {
  const { t } = useI18n();
  const okCount = outcomes.filter((o) => o.ok).length;
  const subject = (id: string) => docs.find((d) => d.id === id)?.subject ?? id;
  return (
    <Stack gap="md">
      <Alert color={okCount === outcomes.length ? 'teal' : 'yellow'} variant="light" role="status" data-testid="sign-summary">
        {t('outgoing.sign.done', { ok: okCount, total: outcomes.length })}
      </Alert>
      <ScrollArea.Autosize mah={320}>
        <Stack gap={6}>
          {outcomes.map((o) => (
            <Group key={o.id} justify="space-between" wrap="nowrap" gap="sm" data-testid="sign-outcome">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" lineClamp={1}>{subject(o.id)}</Text>
                {!o.ok && <Text size="xs" c="red">{o.message}</Text>}
              </div>
              <Badge color={o.ok ? 'teal' : 'red'} variant="light" style={{ flex: 'none' }}>{o.ok ? t('outgoing.status.signed') : t('outgoing.sign.failed')}</Badge>
            </Group>
          ))}
        </Stack>
      </ScrollArea.Autosize>
      <Group justify="flex-end"><Button onClick={onClose}>{t('app.close')}</Button></Group>
    </Stack>
  );
}
