import { Alert, Anchor, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import IconAlertTriangle from '@tabler/icons-react/dist/esm/icons/IconAlertTriangle.mjs';
import IconCircleCheck from '@tabler/icons-react/dist/esm/icons/IconCircleCheck.mjs';
import type { InferResponseType } from 'hono/client';
import { api, unwrap } from '../api/client.ts';
import type { SessionView } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Health = InferResponseType<typeof api.admin.backups.$get, 200>['data']['health'];

/** The query key of the backups page's data, which the home page's alert reads too. */
export const BACKUPS_KEY = ['backups'] as const;

/**
 * How the backups stand: a red alert while the last run failed or none has succeeded for too long (with the
 * error and the last success), a green line when all is well, nothing before the first backup.
 */
export function BackupHealthLine({ health }: { health: Health }) {
  const { t, dateTime } = useI18n();
  const next = health.nextScheduledAt && <Text span size="sm" c="dimmed"> {t('backup.health.next', { at: dateTime(health.nextScheduledAt) })}</Text>;
  if (health.lastFailure || health.isStale) {
    return (
      <Alert color="crimson" variant="light" icon={<IconAlertTriangle size={20} />} role="alert" title={t('backup.health.alert')} data-testid="backup-health-alert">
        <Stack gap={4}>
          {health.lastFailure && <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{t('backup.health.failed', { at: dateTime(health.lastFailure.at), error: health.lastFailure.error })}</Text>}
          {health.isStale && <Text size="sm">{t('backup.health.stale', { hours: health.staleAfterHours })}</Text>}
          <Text size="sm" fw={600}>{health.lastSuccessAt ? t('backup.health.lastSuccess', { at: dateTime(health.lastSuccessAt) }) : t('backup.health.neverSucceeded')}</Text>
          <Text size="sm">{t('backup.health.fix')}</Text>
        </Stack>
      </Alert>
    );
  }
  if (!health.lastSuccessAt) return null;
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="backup-health-ok" role="status">
      <IconCircleCheck size={20} color="var(--mantine-color-teal-7)" style={{ flex: 'none', marginTop: 1 }} />
      <Text size="sm" c="teal.9">{t('backup.health.ok', { at: dateTime(health.lastSuccessAt) })}{next}</Text>
    </Group>
  );
}

/**
 * The home page's alert for the install's backup administrators (session rule manageBackups): shown only
 * while backups fail or none has succeeded for too long, with a link to «Sao lưu dữ liệu».
 */
export function BackupAlert({ allowed }: { allowed: SessionView['can'] }) {
  const { t } = useI18n();
  const backups = useQuery({ queryKey: BACKUPS_KEY, enabled: allowed.manageBackups, queryFn: () => unwrap(api.admin.backups.$get()) });
  const health = backups.data?.data.health;
  if (!allowed.manageBackups || !health || (!health.lastFailure && !health.isStale)) return null;
  return (
    <Stack gap={4}>
      <BackupHealthLine health={health} />
      <Anchor component={Link} to="/admin/backups" size="sm">{t('backup.health.open')}</Anchor>
    </Stack>
  );
}
