import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { useDirectory, useReference } from './outgoing-api.ts';
import { moved, OrderedRow } from './ordered-list.tsx';

type Step = Parameters<typeof api.outgoing.chain.$put>[0]['json']['steps'][number];
type Kind = Step['kind'];
type TypeCode = NonNullable<Parameters<typeof api.outgoing.chain.$put>[0]['json']['typeCode']>;
const chainKey = ['outgoing', 'chain'] as const;

/** The agency administrator's page: the default review chain (ordered steps: head of the drafting unit, head of a unit, a named person). */
export default function OutgoingChainPage() {
  const { t } = useI18n();
  const chain = useQuery({ queryKey: chainKey, queryFn: () => unwrap(api.outgoing.chain.$get()) });
  const directory = useDirectory();
  const reference = useReference();
  // '' = the agency's general chain; otherwise a document type's own chain.
  const [scope, setScope] = useState('');
  if (chain.isPending || directory.isPending || reference.isPending) return <LoadingState />;
  if (chain.isError) return <ErrorState error={chain.error} onRetry={() => void chain.refetch()} />;
  const { steps: general, byType } = chain.data.data;
  const own = byType.find((c) => c.typeCode === scope);
  const types = reference.data?.data.documentTypes ?? [];
  const typeName = (code: string) => types.find((d) => d.code === code)?.name ?? code;
  const hasOwn = new Set(byType.map((c) => c.typeCode));
  return (
    <Stack gap="md" maw={860}>
      <PageHeader title={t('outgoing.chain.title')} subtitle={t('outgoing.chain.help')} />
      <Card withBorder radius="md" padding="lg">
        <Select label={t('outgoing.chain.scope')} allowDeselect={false} searchable value={scope} onChange={(v) => setScope(v ?? '')} comboboxProps={{ withinPortal: true }}
          data={[{ value: '', label: t('outgoing.chain.scope.general') }, ...types.map((d) => ({ value: d.code, label: hasOwn.has(d.code) ? `${d.name} — ${t('outgoing.chain.scope.own')}` : d.name }))]} />
        {byType.length > 0 && (
          <Group gap={6} mt="sm">
            <Text size="xs" c="dimmed">{t('outgoing.chain.typesWithOwn')}</Text>
            {byType.map((c) => <Badge key={c.typeCode} variant="light" style={{ cursor: 'pointer' }} onClick={() => setScope(c.typeCode)}>{typeName(c.typeCode)}</Badge>)}
          </Group>
        )}
        {scope && !own && <Text size="sm" c="dimmed" mt="sm">{t('outgoing.chain.usesGeneral', { type: typeName(scope) })}</Text>}
      </Card>
      <ChainEditor key={`${scope}:${JSON.stringify(own?.steps ?? general)}`} typeCode={scope || null} hasOwn={!!own} initial={(own?.steps ?? general) as Step[]} />
    </Stack>
  );
}

function ChainEditor({ initial, typeCode, hasOwn }: { initial: Step[]; typeCode: string | null; hasOwn: boolean }) {
  const { t } = useI18n();
  const { users, units } = useDirectory();
  const client = useQueryClient();
  const [steps, setSteps] = useState<Step[]>(initial);
  const [kind, setKind] = useState<Kind>('user');
  const [target, setTarget] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => unwrap(api.outgoing.chain.$put({ json: { steps, typeCode: typeCode as TypeCode | null } })),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('outgoing.chain.saved') });
      await client.invalidateQueries({ queryKey: chainKey });
    },
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.outgoing.chain[':typeCode'].$delete({ param: { typeCode: (typeCode ?? '') as TypeCode } })),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('outgoing.chain.removed') });
      await client.invalidateQueries({ queryKey: chainKey });
    },
  });
  const describe = (s: Step) => {
    if (s.kind === 'drafting_unit_head') return t('outgoing.chain.kind.drafting_unit_head');
    if (s.kind === 'unit_head') return t('outgoing.chain.unitHeadOf', { unit: units.find((u) => u.id === s.unitId)?.name ?? '?' });
    const u = users.find((x) => x.id === s.userId);
    return u ? `${u.fullName}${u.position ? ` — ${u.position}` : ''}` : '?';
  };
  const add = () => {
    const step: Step | null = kind === 'drafting_unit_head' ? { kind } : !target ? null : kind === 'unit_head' ? { kind, unitId: target } : { kind, userId: target };
    if (!step) return;
    setSteps((s) => [...s, step]);
    setTarget(null);
  };
  const options = kind === 'unit_head' ? units.map((u) => ({ value: u.id, label: u.name }))
    : users.filter((u) => u.isActive).map((u) => ({ value: u.id, label: `${u.fullName}${u.position ? ` — ${u.position}` : ''}` }));
  return (
    <>
      <Card withBorder radius="md" padding="lg">
        <Stack gap={0} data-testid="chain-steps">
          {steps.length === 0 && <Text size="sm" c="dimmed">{t('outgoing.chain.empty')}</Text>}
          {steps.map((s, i) => (
            <OrderedRow key={`${i}-${JSON.stringify(s)}`} index={i} count={steps.length} onMove={(by) => setSteps((l) => moved(l, i, by))} onRemove={() => setSteps((l) => l.filter((_, k) => k !== i))}>
              <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>{describe(s)}</Text>
              {s.kind !== 'drafting_unit_head' && <Text size="xs" c="dimmed">{t(`outgoing.chain.kind.${s.kind}`)}</Text>}
            </OrderedRow>
          ))}
        </Stack>
      </Card>
      <Card withBorder radius="md" padding="lg">
        <Title order={5} mb="sm">{t('outgoing.chain.add')}</Title>
        <Stack gap="sm">
          <Select label={t('outgoing.chain.addKind')} allowDeselect={false} value={kind} onChange={(v) => { setKind((v ?? 'user') as Kind); setTarget(null); }}
            data={(['drafting_unit_head', 'unit_head', 'user'] as const).map((k) => ({ value: k, label: t(`outgoing.chain.kind.${k}`) }))} comboboxProps={{ withinPortal: true }} />
          {kind !== 'drafting_unit_head' && (
            <Select label={t(kind === 'unit_head' ? 'outgoing.chain.unit' : 'outgoing.chain.person')} searchable value={target} onChange={setTarget} data={options} comboboxProps={{ withinPortal: true }} />
          )}
          <Group justify="flex-end">
            <Button variant="light" leftSection={<IconPlus size={18} />} onClick={add} disabled={steps.length >= 10 || (kind !== 'drafting_unit_head' && !target)}>{t('outgoing.chain.add')}</Button>
          </Group>
        </Stack>
      </Card>
      {(save.isError || remove.isError) && <Alert color="red" variant="light" role="alert">{errorMessage(save.error ?? remove.error, t)}</Alert>}
      <Group justify="flex-end">
        {hasOwn && <Button variant="default" color="red" onClick={() => remove.mutate()} loading={remove.isPending}>{t('outgoing.chain.useGeneral')}</Button>}
        <Button onClick={() => save.mutate()} loading={save.isPending}>{typeCode ? t('outgoing.chain.saveForType') : t('outgoing.chain.save')}</Button>
      </Group>
    </>
  );
}
