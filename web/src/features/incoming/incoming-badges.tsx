import { Badge, Group } from '@mantine/core';
import { useI18n, hasKey } from '../../i18n/i18n.tsx';
import { leaderLabel, STATUS_COLOR, URGENCY_COLOR } from './incoming-api.ts';

const URGENCY_NAME: Record<string, string> = { khan: 'Khẩn', thuong_khan: 'Thượng khẩn', hoa_toc: 'Hỏa tốc', hoa_toc_hen_gio: 'Hỏa tốc hẹn giờ' };

type Leader = { fullName: string; position: string };

/** Status, urgency, secrecy and deadline badges of a document; «Chờ chỉ đạo» names the leader it waits for. */
export function IncomingBadges({ doc }: { doc: { status: string; urgency: string; isSecret: boolean; isOverdue: boolean; isDueSoon: boolean; waitingFor?: Leader | null } }) {
  const { t } = useI18n();
  const statusKey = `incoming.status.${doc.status}`;
  const leader = doc.waitingFor && leaderLabel(doc.waitingFor);
  return (
    <Group gap={6} wrap="wrap">
      {leader ? (
        // a name and position can be longer than a phone's width: the badge wraps instead of cutting the name
        <Badge variant="light" color={STATUS_COLOR[doc.status] ?? 'gray'} h="auto" py={2} maw="100%" data-testid="incoming-waiting-for"
          styles={{ label: { whiteSpace: 'normal', overflow: 'visible' } }}>
          {t('incoming.status.forwardedTo', { leader })}
        </Badge>
      ) : <Badge variant="light" color={STATUS_COLOR[doc.status] ?? 'gray'}>{hasKey(statusKey) ? t(statusKey) : doc.status}</Badge>}
      {URGENCY_NAME[doc.urgency] && <Badge color={URGENCY_COLOR[doc.urgency] ?? 'yellow'}>{URGENCY_NAME[doc.urgency]}</Badge>}
      {doc.isSecret && <Badge color="dark">{t('incoming.secret')}</Badge>}
      {doc.isOverdue && <Badge color="red" variant="outline">{t('incoming.overdue')}</Badge>}
      {doc.isDueSoon && <Badge color="orange" variant="outline">{t('incoming.dueSoon')}</Badge>}
    </Group>
  );
}
