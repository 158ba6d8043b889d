import { Card, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import IconEye from '@tabler/icons-react/dist/esm/icons/IconEye.mjs';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import IconPrinter from '@tabler/icons-react/dist/esm/icons/IconPrinter.mjs';
import { api, unwrap } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';

export type AccessEntityType = 'incoming' | 'outgoing' | 'records_file';

/**
 * «Lịch sử truy cập» on a document's or work file's page (ND 30 Phụ lục VI III.5.a, III.6.a): how many
 * views, people and downloads, and the last accesses. Only the agency's clerks, leaders and admins and
 * the owner may see it: pages show the card where their `can` block says 'access.view_history', so that
 * no one else asks (the server would answer 403, an error in the browser's console).
 */
export function AccessHistoryCard({ entityType, id }: { entityType: AccessEntityType; id: string }) {
  const { t, dateTime } = useI18n();
  const history = useQuery({
    queryKey: ['access', entityType, id],
    queryFn: () => unwrap(api.access[':entityType'][':id'].$get({ param: { entityType, id } })),
  });
  const h = history.data?.data;
  if (!h) return null;
  return (
    <Card withBorder radius="md" data-testid="access-history">
      <Stack gap="xs">
        <Title order={3} fz="md">{t('access.title')}</Title>
        <Text size="sm" fw={500} data-testid="access-counts">{t('access.counts', { views: h.views, viewers: h.viewers, downloads: h.downloads })}{h.prints > 0 && t('access.prints', { prints: h.prints })}</Text>
        {h.recent.length === 0 ? <Text size="sm" c="dimmed">{t('access.empty')}</Text> : (
          <ScrollArea.Autosize mah={280} type="auto">
            <Stack gap={6}>
              {h.recent.map((r, i) => (
                <Group key={`${r.at}-${i}`} gap="xs" wrap="nowrap" align="flex-start">
                  <ActionIcon action={r.action} />
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {r.userName}{r.position && <Text span size="xs" c="dimmed"> · {r.position}</Text>}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                      {dateTime(r.at)} · {t(`access.action.${r.action}`)}{r.fileName && ` · ${r.fileName}`}
                    </Text>
                  </div>
                </Group>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
        {h.views + h.downloads + h.prints > h.recent.length && <Text size="xs" c="dimmed">{t('access.recentOnly', { n: h.recent.length })}</Text>}
      </Stack>
    </Card>
  );
}

const ACTION_ICONS = { view: IconEye, download: IconDownload, print: IconPrinter } as const;

function ActionIcon({ action }: { action: keyof typeof ACTION_ICONS }) {
  const { t } = useI18n();
  const Icon = ACTION_ICONS[action];
  return <Icon size={16} aria-label={t(`access.action.${action}`)} style={{ flex: 'none', marginTop: 2 }} />;
}
