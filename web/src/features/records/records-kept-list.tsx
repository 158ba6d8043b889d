import { Link } from 'react-router';
import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import { api, unwrap } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState } from '../../ui/states.tsx';
import { recordsKeys, retentionLabel } from './records-api.ts';

/**
 * The Danh mục hồ sơ, tài liệu giữ lại (ND 30 Art. 31.3.d), for the agency archive: each file a leader agreed to
 * keep back, its hand-over date and the day it is kept to, why, and who agreed. The server lists what the user may read.
 */
export function KeptList({ year }: { year: number | null }) {
  const { t, date } = useI18n();
  const kept = useQuery({
    queryKey: recordsKeys.kept(year),
    queryFn: () => unwrap(api.records.files.kept.$get({ query: year ? { year: String(year) } : {} })),
  });
  if (kept.isPending) return <LoadingState />;
  if (kept.isError) return <ErrorState error={kept.error} onRetry={() => void kept.refetch()} />;
  return (
    <Stack gap="xs" data-testid="records-kept">
      <Text size="sm" c="dimmed">{t('records.kept.help')}</Text>
      {kept.data.data.length === 0 ? <Card withBorder radius="md" py="xl"><Text ta="center" c="dimmed">{t('records.kept.empty')}</Text></Card>
        : kept.data.data.map((k) => (
          <Card key={k.id} withBorder radius="md" padding="sm" component={Link} to={`/records/${k.id}`} aria-label={k.title}>
            <Stack gap={2}>
              <Group justify="space-between" align="flex-start" gap="xs">
                <Text fw={600} style={{ overflowWrap: 'anywhere', flex: '1 1 220px' }}>{k.notation} — {k.title}</Text>
                <Badge variant="light" color="teal">{t('records.kept.line', { due: date(k.legalDueDate), until: date(k.keepUntil) })}</Badge>
              </Group>
              <Text size="sm" c="dimmed">{[k.ownerName, k.unitName, retentionLabel(t, k.retention), String(k.year)].filter(Boolean).join(' · ')}</Text>
              <Text size="sm">{k.reason}</Text>
              <Text size="sm" c="dimmed">{t('records.kept.agreed', { name: k.decidedByName ?? '', on: date(k.decidedAt) })}{k.note && ` — ${k.note}`}</Text>
            </Stack>
          </Card>
        ))}
      {kept.data.data.length > 0 && <KeptExportLinks year={year} />}
    </Stack>
  );
}

/** The Danh mục hồ sơ, tài liệu giữ lại of the list shown, to print and send to the agency archive, or as XLSX. */
function KeptExportLinks({ year }: { year: number | null }) {
  const { t } = useI18n();
  const href = (format: 'pdf' | 'xlsx') => `/api/records/files/kept/export?${new URLSearchParams({ ...(year && { year: String(year) }), format })}`;
  return (
    <Group gap="xs">
      <Button component="a" href={href('pdf')} size="compact-sm" variant="light" leftSection={<IconDownload size={14} />} data-testid="records-kept-pdf">{t('records.kept.pdf')}</Button>
      <Button component="a" href={href('xlsx')} size="compact-sm" variant="default" data-testid="records-kept-xlsx">XLSX</Button>
    </Group>
  );
}
