import { useState } from 'react';
import { Link } from 'react-router';
import { Badge, Button, Card, Group, NumberInput, ScrollArea, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import IconFileSpreadsheet from '@tabler/icons-react/dist/esm/icons/IconFileSpreadsheet.mjs';
import IconPrinter from '@tabler/icons-react/dist/esm/icons/IconPrinter.mjs';
import type { ClientResponse, InferResponseType } from 'hono/client';
import { api, unwrap } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { useReference } from './outgoing-api.ts';
import { VnDateInput } from '../documents/vn-date-input.tsx';

type TypeCode = NonNullable<Parameters<typeof api.outgoing.register.$get>[0]['query']['typeCode']>;
// The register answers JSON, or a file for format=xlsx|pdf: this page reads the JSON form.
type RegisterJson = Extract<InferResponseType<typeof api.outgoing.register.$get, 200>, { data: unknown }>;
type Filters = { year: number; secret: '' | 'true' | 'false'; from: string; to: string; typeCode: string; search: string };

function queryOf(f: Filters) {
  return {
    year: String(f.year), ...(f.secret && { secret: f.secret }), ...(f.from && { from: f.from }), ...(f.to && { to: f.to }),
    ...(f.typeCode && { typeCode: f.typeCode as TypeCode }), ...(f.search && { search: f.search }),
  };
}

/** The outgoing register (sổ đăng ký văn bản đi, ND 30 Phụ lục IV): filter, read, download as XLSX or a printable PDF. */
export default function OutgoingRegisterPage() {
  const { t } = useI18n();
  const reference = useReference();
  const [filters, setFilters] = useState<Filters>({ year: new Date().getFullYear(), secret: '', from: '', to: '', typeCode: '', search: '' });
  const [debounced] = useDebouncedValue(filters, 300);
  const set = <K extends keyof Filters>(k: K) => (v: Filters[K]) => setFilters((f) => ({ ...f, [k]: v }));
  const register = useQuery({ queryKey: ['outgoing', 'register', debounced], queryFn: () => unwrap(api.outgoing.register.$get({ query: queryOf(debounced) }) as Promise<ClientResponse<RegisterJson>>) });
  const exportUrl = (format: 'xlsx' | 'pdf') => `/api/outgoing/register?${new URLSearchParams({ ...queryOf(filters), format })}`;
  return (
    <Stack gap="md">
      <PageHeader title={t('outgoing.register.title')} subtitle={t('outgoing.register.subtitle')} actions={<>
        <Button component="a" href={exportUrl('xlsx')} variant="default" leftSection={<IconFileSpreadsheet size={18} />}>{t('outgoing.register.xlsx')}</Button>
        <Button component="a" href={exportUrl('pdf')} variant="default" leftSection={<IconPrinter size={18} />}>{t('outgoing.register.pdf')}</Button>
      </>} />
      <Card withBorder radius="md" padding="md">
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
          <NumberInput label={t('outgoing.register.year')} min={2000} max={2999} value={filters.year} onChange={(v) => set('year')(typeof v === 'number' ? v : new Date().getFullYear())} />
          <Select label={t('outgoing.register.series')} value={filters.secret} allowDeselect={false} onChange={(v) => set('secret')((v ?? '') as Filters['secret'])}
            data={[{ value: '', label: t('outgoing.register.all') }, { value: 'false', label: t('outgoing.register.ordinary') }, { value: 'true', label: t('doc.secret') }]} />
          <VnDateInput label={t('outgoing.register.from')} invalidMessage={t('doc.date.invalid')} value={filters.from} onChange={set('from')} />
          <VnDateInput label={t('outgoing.register.to')} invalidMessage={t('doc.date.invalid')} value={filters.to} onChange={set('to')} />
          <Select label={t('outgoing.field.type')} clearable searchable value={filters.typeCode || null} onChange={(v) => set('typeCode')(v ?? '')}
            data={(reference.data?.data.documentTypes ?? []).map((d) => ({ value: d.code, label: d.name }))} />
          <TextInput label={t('app.search')} value={filters.search} onChange={(e) => set('search')(e.currentTarget.value)} />
        </SimpleGrid>
      </Card>
      {register.isPending ? <LoadingState /> : register.isError ? <ErrorState error={register.error} onRetry={() => void register.refetch()} /> : register.data.data.rows.length === 0 ? (
        <Card withBorder radius="md" py="xl"><Text ta="center" c="dimmed">{t('outgoing.register.empty')}</Text></Card>
      ) : (
        <Card withBorder radius="md" p={0}>
          <ScrollArea type="auto">
            <Table verticalSpacing="xs" horizontalSpacing="sm" striped miw={1000} data-testid="register-table">
              <Table.Thead><Table.Tr>{register.data.data.columns.map((c) => <Table.Th key={c} fz="xs">{c}</Table.Th>)}</Table.Tr></Table.Thead>
              <Table.Tbody>
                {register.data.data.rows.map((r) => (
                  <Table.Tr key={r.id} data-testid="register-row">
                    {r.cells.map((cell, i) => (
                      <Table.Td key={i} fz="sm" style={{ whiteSpace: i === 0 ? 'nowrap' : undefined }}>
                        {i === 0 ? <Group gap={4} wrap="nowrap"><Text component={Link} to={`/outgoing/${r.id}`} size="sm" fw={600} c="navy">{cell}</Text>{r.isSecret && <Badge size="xs" color="dark">{t('doc.secret')}</Badge>}</Group> : cell}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          <Text size="sm" c="dimmed" p="sm">{t('outgoing.register.count', { count: register.data.data.rows.length, year: register.data.data.year })}</Text>
        </Card>
      )}
    </Stack>
  );
}
