import { useState, type ReactNode } from 'react';
import { ActionIcon, Alert, Box, Button, Drawer, Group, Indicator, Popover, ScrollArea, Skeleton, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useNavigate } from 'react-router';
import type { TablerIcon } from '@tabler/icons-react';
import IconAlarm from '@tabler/icons-react/dist/esm/icons/IconAlarm.mjs';
import IconArchive from '@tabler/icons-react/dist/esm/icons/IconArchive.mjs';
import IconArrowBackUp from '@tabler/icons-react/dist/esm/icons/IconArrowBackUp.mjs';
import IconArrowForwardUp from '@tabler/icons-react/dist/esm/icons/IconArrowForwardUp.mjs';
import IconBell from '@tabler/icons-react/dist/esm/icons/IconBell.mjs';
import IconCertificate from '@tabler/icons-react/dist/esm/icons/IconCertificate.mjs';
import IconChecks from '@tabler/icons-react/dist/esm/icons/IconChecks.mjs';
import IconCircleCheck from '@tabler/icons-react/dist/esm/icons/IconCircleCheck.mjs';
import IconClock from '@tabler/icons-react/dist/esm/icons/IconClock.mjs';
import IconDatabaseExclamation from '@tabler/icons-react/dist/esm/icons/IconDatabaseExclamation.mjs';
import IconFilePencil from '@tabler/icons-react/dist/esm/icons/IconFilePencil.mjs';
import IconFileCheck from '@tabler/icons-react/dist/esm/icons/IconFileCheck.mjs';
import IconFolder from '@tabler/icons-react/dist/esm/icons/IconFolder.mjs';
import IconInbox from '@tabler/icons-react/dist/esm/icons/IconInbox.mjs';
import IconMessageQuestion from '@tabler/icons-react/dist/esm/icons/IconMessageQuestion.mjs';
import IconProgress from '@tabler/icons-react/dist/esm/icons/IconProgress.mjs';
import IconRefresh from '@tabler/icons-react/dist/esm/icons/IconRefresh.mjs';
import IconSignature from '@tabler/icons-react/dist/esm/icons/IconSignature.mjs';
import IconHash from '@tabler/icons-react/dist/esm/icons/IconHash.mjs';
import IconSend from '@tabler/icons-react/dist/esm/icons/IconSend.mjs';
import IconUserCheck from '@tabler/icons-react/dist/esm/icons/IconUserCheck.mjs';
import { useI18n } from '../i18n/i18n.tsx';
import { formatTimeDate } from '../i18n/format.ts';
import { noticeLink, useMarkNoticesRead, useNotices, useUnreadNotices, type Notice } from './notices-api.ts';

/** The icon and colour of each kind of notice (the kinds the domains write); any other kind gets the bell. */
const KIND_LOOK: Record<string, { icon: TablerIcon; color: string }> = {
  arrived: { icon: IconInbox, color: 'navy' },
  registered: { icon: IconFileCheck, color: 'navy' },
  forwarded: { icon: IconArrowForwardUp, color: 'navy' },
  assigned: { icon: IconUserCheck, color: 'navy' },
  reassigned: { icon: IconUserCheck, color: 'navy' },
  progress: { icon: IconProgress, color: 'teal' },
  closed: { icon: IconCircleCheck, color: 'green' },
  reopened: { icon: IconRefresh, color: 'orange' },
  reminder: { icon: IconClock, color: 'orange' },
  overdue: { icon: IconAlarm, color: 'crimson' },
  request: { icon: IconMessageQuestion, color: 'orange' },
  issued: { icon: IconSend, color: 'navy' },
  // an outgoing document waiting on someone (outgoing.notify.ts FLOW_NOTICES)
  review_requested: { icon: IconFilePencil, color: 'navy' },
  draft_returned: { icon: IconArrowBackUp, color: 'orange' },
  signature_requested: { icon: IconSignature, color: 'navy' },
  issue_requested: { icon: IconHash, color: 'navy' },
  hand_over_due: { icon: IconArchive, color: 'orange' },
  hand_over_batch: { icon: IconArchive, color: 'navy' },
  keep_requested: { icon: IconFolder, color: 'grape' },
  keep_decided: { icon: IconFolder, color: 'grape' },
  backup_failed: { icon: IconDatabaseExclamation, color: 'crimson' },
  backup_stale: { icon: IconDatabaseExclamation, color: 'crimson' },
  seal_expiring: { icon: IconCertificate, color: 'orange' },
  certificate_expiring: { icon: IconCertificate, color: 'orange' },
};
const DEFAULT_LOOK = { icon: IconBell, color: 'gray' };

// The badge says «99+» beyond: a wider one would push the avatar off a phone's header.
const BADGE_MAX = 99;

/** The header's «Thông báo» bell: the unread count on it; a click opens the newest notices (a popover on a wide screen, a sheet from the bottom on a phone). */
export function NoticeBell() {
  const { t } = useI18n();
  const unread = useUnreadNotices();
  const [isOpen, setOpen] = useState(false);
  const isPhone = useMediaQuery('(max-width: 47.99em)') ?? false;
  const close = () => setOpen(false);
  const bell = (
    <Indicator label={unread !== undefined && unread > BADGE_MAX ? `${BADGE_MAX}+` : unread} disabled={!unread} color="crimson" size={18} offset={6} withBorder
      styles={{ indicator: { fontWeight: 700, fontSize: 11, borderColor: 'var(--mantine-color-dark-8)' } }}>
      <ActionIcon variant="subtle" color="white" size="lg" onClick={() => setOpen((o) => !o)} data-testid="notice-bell"
        aria-label={unread === undefined ? t('notices.title') : t('notices.bell', { n: unread })} aria-expanded={isOpen} aria-haspopup="dialog">
        <IconBell size={22} />
      </ActionIcon>
    </Indicator>
  );
  if (isPhone) {
    return (
      <>
        {bell}
        <Drawer opened={isOpen} onClose={close} position="bottom" size="auto" title={<Text fw={700}>{t('notices.title')}</Text>}
          radius="lg" padding="sm" styles={{ content: { height: 'auto', maxHeight: '85dvh' } }}>
          <NoticesPanel onDone={close} unread={unread} maxHeight="calc(85dvh - 110px)" />
        </Drawer>
      </>
    );
  }
  return (
    <Popover opened={isOpen} onChange={setOpen} position="bottom-end" width={400} shadow="md" withinPortal trapFocus>
      <Popover.Target>{bell}</Popover.Target>
      <Popover.Dropdown p="sm">
        <NoticesPanel onDone={close} unread={unread} maxHeight={440} heading={<Text fw={700}>{t('notices.title')}</Text>} />
      </Popover.Dropdown>
    </Popover>
  );
}

/** The newest notices, unread ones marked, under a heading (the popover's; the sheet has its own) and «Đánh dấu tất cả đã đọc»; a click marks one read and opens what it is about. */
function NoticesPanel({ onDone, unread, maxHeight, heading }: { onDone: () => void; unread: number | undefined; maxHeight: string | number; heading?: ReactNode }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const notices = useNotices();
  const markRead = useMarkNoticesRead();
  const list = notices.data?.data ?? [];
  const hasUnread = (unread ?? 0) > 0 || list.some((n) => !n.readAt);
  const open = (n: Notice) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] });
    onDone();
    void navigate(noticeLink(n));
  };
  let body: ReactNode;
  if (notices.isPending) body = <Stack gap="xs">{[0, 1, 2].map((i) => <Skeleton key={i} h={48} radius="md" />)}</Stack>;
  else if (notices.isError) body = <Alert color="red" variant="light">{t('notices.error')}</Alert>;
  else {
    body = (
      <Stack gap={2}>
        {!hasUnread && <Text size="sm" c="dimmed" ta="center" py="md" data-testid="notices-empty">{t('notices.empty')}</Text>}
        {list.map((n) => <NoticeRow key={n.id} notice={n} onOpen={() => open(n)} />)}
      </Stack>
    );
  }
  return (
    <Stack gap="xs" data-testid="notices-panel">
      {(heading || hasUnread) && (
        <Group justify={heading ? 'space-between' : 'flex-end'} wrap="nowrap" gap="xs">
          {heading}
          {hasUnread && <Button size="compact-sm" variant="subtle" leftSection={<IconChecks size={16} />} onClick={() => markRead.mutate({ all: true })}>{t('notices.markAllRead')}</Button>}
        </Group>
      )}
      <ScrollArea.Autosize mah={maxHeight} type="auto" offsetScrollbars>
        {body}
      </ScrollArea.Autosize>
    </Stack>
  );
}

/** One notice: its kind's icon, the message (bold while unread, with a dot), the time as HH:mm dd/MM/yyyy. */
function NoticeRow({ notice: n, onOpen }: { notice: Notice; onOpen: () => void }) {
  const { t } = useI18n();
  const look = KIND_LOOK[n.kind] ?? DEFAULT_LOOK;
  const isUnread = !n.readAt;
  return (
    <UnstyledButton onClick={onOpen} data-testid="notice-item" data-unread={isUnread || undefined} p="xs"
      style={{ borderRadius: 'var(--mantine-radius-md)', background: isUnread ? 'var(--mantine-color-navy-0)' : undefined }}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" color={look.color} size={32} radius="xl" style={{ flex: 'none' }}><look.icon size={18} /></ThemeIcon>
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={isUnread ? 600 : 400} c={isUnread ? undefined : 'dimmed'} lineClamp={3} style={{ overflowWrap: 'anywhere' }}>{n.message}</Text>
          <Text size="xs" c="dimmed">{formatTimeDate(n.createdAt)}</Text>
        </Box>
        {isUnread && <Box w={8} h={8} mt={6} style={{ flex: 'none', borderRadius: '50%', background: 'var(--mantine-color-crimson-6)' }} aria-label={t('notices.unread')} role="img" />}
      </Group>
    </UnstyledButton>
  );
}
