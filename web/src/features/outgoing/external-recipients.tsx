import { useState, type ReactNode } from 'react';
import { ActionIcon, Autocomplete, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import IconX from '@tabler/icons-react/dist/esm/icons/IconX.mjs';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import { useI18n } from '../../i18n/i18n.tsx';

export type ExternalRecipient = { code: string; name: string };

// Mã định danh of QCVN 102 / Quyết định 20/2020/QĐ-TTg: digits, dots and capital letters (the server checks the same).
const CODE_RE = /^[0-9A-Z.]{5,20}$/;

/**
 * Agencies outside the agency, by their mã định danh (e.g. 000.00.12.H53) and an optional name, picked
 * from the directory as the user types a name or code (or typed in full); an agency on this install is
 * delivered internally by the server, others through the exchange. An agency picked from the list is
 * added at once; a code typed by hand waits for «Thêm», and `onPending` tells the form what is waiting.
 */
export function ExternalRecipients({ value, onChange, onPending, error }: { value: ExternalRecipient[]; onChange: (v: ExternalRecipient[]) => void; onPending?: (code: string) => void; error?: ReactNode }) {
  const { t } = useI18n();
  const [code, setCodeState] = useState('');
  const setCode = (v: string) => {
    setCodeState(v);
    onPending?.(v.trim());
  };
  const [name, setName] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  // The directory (agencies on this install and those synced from the axis), searched by name or code.
  const [search] = useDebouncedValue(code.trim(), 250);
  const directory = useQuery({
    queryKey: ['orgs', 'directory', search],
    queryFn: () => unwrap(api.orgs.directory.$get({ query: search ? { search } : {} })),
    enabled: search.length >= 2,
    staleTime: 60_000,
  });
  const options = (directory.data?.data ?? []).slice(0, 30);
  const add = (c: string, n: string) => {
    if (!CODE_RE.test(c)) return setCodeError(t('outgoing.external.badCode'));
    if (!value.some((v) => v.code === c)) onChange([...value, { code: c, name: n.trim() }]);
    setCode('');
    setName('');
    setCodeError(null);
  };
  const addTyped = () => add(code.trim().toUpperCase(), name);
  // Picking from the list is choosing: the agency goes in at once (it used to wait for «Thêm», and a
  // draft saved meanwhile went without it).
  const pick = (label: string) => {
    const hit = options.find((o) => `${o.code} — ${o.name}` === label);
    if (hit) add(hit.code, hit.name);
    else setCode(label);
  };
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>{t('outgoing.field.external')}</Text>
      <Text size="xs" c="dimmed">{t('outgoing.field.externalHelp')}</Text>
      {value.map((v) => (
        <Group key={v.code} gap="xs" wrap="nowrap" data-testid="external-recipient">
          <Text size="sm" ff="monospace" style={{ flex: 'none' }}>{v.code}</Text>
          <Text size="sm" truncate style={{ flex: 1, minWidth: 0 }}>{v.name}</Text>
          <ActionIcon variant="subtle" color="gray" aria-label={`${t('app.delete')}: ${v.code}`} onClick={() => onChange(value.filter((x) => x.code !== v.code))}><IconX size={16} /></ActionIcon>
        </Group>
      ))}
      <Group gap="xs" align="flex-start" wrap="wrap">
        <Autocomplete aria-label={t('outgoing.external.code')} placeholder={t('outgoing.external.search')} value={code} onChange={pick} error={codeError ?? error} w={{ base: '100%', xs: 300 }}
          data={options.map((o) => `${o.code} — ${o.name}`)} limit={30} data-testid="recipient-directory" comboboxProps={{ width: 380, position: 'bottom-start' }}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); addTyped(); } }} />
        <TextInput aria-label={t('outgoing.external.name')} placeholder={t('outgoing.external.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: '1 1 180px' }}
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); addTyped(); } }} />
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={addTyped}>{t('outgoing.external.add')}</Button>
      </Group>
    </Stack>
  );
}
