import { Alert, Anchor, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import IconAlertTriangle from '@tabler/icons-react/dist/esm/icons/IconAlertTriangle.mjs';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { EXCHANGE_ALERTS_KEY, EXCHANGE_ROLES } from './outgoing-routes.ts';

/**
 * For the clerk, leaders and admins: what of the document exchange waits for a person — packages that
 * could not be sent after every attempt, and received packages that were refused. Nothing when all is well.
 */
export function ExchangeAlerts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const isShown = hasAnyRole(user, EXCHANGE_ROLES);
  const alerts = useQuery({ queryKey: EXCHANGE_ALERTS_KEY, enabled: isShown, queryFn: () => unwrap(api.exchange.alerts.$get()) });
  const { failedPackages: failedCount, refusedPackages: refusedCount } = alerts.data?.data ?? { failedPackages: 0, refusedPackages: 0 };
  if (!isShown || (failedCount === 0 && refusedCount === 0)) return null;
  const shown = (n: number) => n.toLocaleString('vi-VN');
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('sending.alert.title')} data-testid="exchange-alerts">
      <Stack gap={4}>
        {failedCount > 0 && <Anchor component={Link} to="/outgoing/sending" size="sm">{t('sending.alert.failed', { count: shown(failedCount) })}</Anchor>}
        {refusedCount > 0 && <Anchor component={Link} to="/incoming/refused" size="sm">{t('sending.alert.refused', { count: shown(refusedCount) })}</Anchor>}
      </Stack>
    </Alert>
  );
}
