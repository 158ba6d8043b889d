import { useState } from 'react';
import { Button, Card, Checkbox, Group, NumberInput, SegmentedControl, Stack, Table, Text, useMatches } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import { api, unwrap } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';

/**
 * On a phone, one card per entry: số đến first, then each filled column under its name — the ten
 * columns squeezed to a word per line in a table scrolled sideways.
 */
function PhoneEntries({ columns, rows }: { columns: readonly { header: string }[]; rows: readonly (readonly string[])[] }) {
  const { t } = useI18n();
  const numberAt = Math.max(0, columns.findIndex((c) => c.header === 'Số đến'));
  if (rows.length === 0) return <Card withBorder radius="md" py="xl" hiddenFrom="md"><Text c="dimmed" ta="center">{t('incoming.empty')}</Text></Card>;
  return (
    <Stack gap="xs" hiddenFrom="md">
      {rows.map((r, i) => (
        <Card key={i} withBorder radius="md" padding="sm" data-testid="register-entry">
          <Text fw={600}>{columns[numberAt]?.header} {r[numberAt]}</Text>
          {r.map((cell, j) => (j === numberAt || !cell ? null : (
            <Text key={j} size="sm" style={{ overflowWrap: 'anywhere' }}><Text span size="sm" c="dimmed">{columns[j]?.header}: </Text>{cell}</Text>
          )))}
        </Card>
      ))}
    </Stack>
  );
}

/** The incoming register (10 columns) and the follow-up register (7 columns) of a year, with XLSX and printable PDF downloads. */
export default function IncomingRegisterPage() {
  const { t } = useI18n();
  const [year, setYear] = useState(new Date().getFullYear());
  const [kind, setKind] = useState<'register' | 'follow_up'>('register');
  const [isSecret, setSecret] = useState(false);
  const isPhone = useMatches({ base: true, sm: false });
  const query = { year: String(year), kind, secret: isSecret ? '1' as const : '0' as const };
  const book = useQuery({ queryKey: ['incoming', 'book', query], queryFn: () => unwrap(api.incoming['register-book'].$get({ query })) });
  const href = (format: 'xlsx' | 'pdf') => `/api/incoming/register-book/download?${new URLSearchParams({ ...query, format })}`;
  return (
    <Stack gap="md">
      <PageHeader title={t('incoming.book.title')} subtitle={t('incoming.book.subtitle')} />
      <Group gap="sm" wrap="wrap" align="flex-end">
        {/* on a phone the two register names stand one above the other, rather than run off the screen */}
        <SegmentedControl orientation={isPhone ? 'vertical' : 'horizontal'} fullWidth={isPhone} w={isPhone ? '100%' : undefined} value={kind} onChange={(v) => setKind(v as 'register')} data={[{ value: 'register', label: t('incoming.book.register') }, { value: 'follow_up', label: t('incoming.book.followUp') }]} />
        <NumberInput label={t('incoming.book.year')} value={year} onChange={(v) => setYear(Number(v) || year)} min={2000} max={2999} w={110} />
        <Checkbox label={t('incoming.book.secret')} checked={isSecret} onChange={(e) => setSecret(e.currentTarget.checked)} />
        <Button component="a" href={href('xlsx')} variant="default" leftSection={<IconDownload size={16} />}>{t('incoming.book.xlsx')}</Button>
        <Button component="a" href={href('pdf')} leftSection={<IconDownload size={16} />}>{t('incoming.book.pdf')}</Button>
      </Group>
      {book.isPending ? <LoadingState /> : book.isError ? <ErrorState error={book.error} onRetry={() => void book.refetch()} /> : (<>
        <Card withBorder radius="md" p={0} visibleFrom="md">
          <Table.ScrollContainer minWidth={900}>
            <Table withColumnBorders verticalSpacing="xs" fz="sm">
              <Table.Thead><Table.Tr>{book.data.data.columns.map((c) => <Table.Th key={c.header}>{c.header}</Table.Th>)}</Table.Tr></Table.Thead>
              <Table.Tbody>
                {book.data.data.rows.length === 0 ? <Table.Tr><Table.Td colSpan={book.data.data.columns.length}><Text c="dimmed" ta="center">{t('incoming.empty')}</Text></Table.Td></Table.Tr>
                  : book.data.data.rows.map((r, i) => <Table.Tr key={i}>{r.map((cell, j) => <Table.Td key={j}>{cell}</Table.Td>)}</Table.Tr>)}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
        <PhoneEntries columns={book.data.data.columns} rows={book.data.data.rows} />
      </>)}
    </Stack>
  );
}
