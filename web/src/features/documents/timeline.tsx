import type { ReactNode } from 'react';
import { Text, Timeline as MantineTimeline } from '@mantine/core';
import { useI18n } from '../../i18n/i18n.tsx';

export type TimelineEntry = { id: string | number; at: string; title: string; actor?: string; detail?: ReactNode; color?: string };

/** A document's history, oldest first: what happened, who did it, when (dd/MM/yyyy HH:mm), and any comment. */
export function Timeline({ entries, testId }: { entries: TimelineEntry[]; testId?: string }) {
  const { t, dateTime } = useI18n();
  if (entries.length === 0) return <Text size="sm" c="dimmed">{t('doc.timeline.empty')}</Text>;
  return (
    <MantineTimeline active={entries.length - 1} bulletSize={14} lineWidth={2} data-testid={testId}>
      {entries.map((e) => (
        <MantineTimeline.Item key={e.id} color={e.color} title={<Text size="sm" fw={600}>{e.title}</Text>}>
          <Text size="xs" c="dimmed">{[dateTime(e.at), e.actor].filter(Boolean).join(' · ')}</Text>
          {e.detail && <Text size="sm" mt={4} style={{ overflowWrap: 'anywhere' }} component="div">{e.detail}</Text>}
        </MantineTimeline.Item>
      ))}
    </MantineTimeline>
  );
}
