import { useEffect } from 'react';
import { Navigate } from 'react-router';
import { notifications } from '@mantine/notifications';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * For the address of a list the person's roles do not give them (typed, or a stale link): the server would refuse
 * it (incoming.box_not_allowed / outgoing.box_not_allowed), so the page does not ask, but sends them to their own
 * list `to` — in place of the address in the history, so Back does not bring them to it again — with a short notice
 * naming where they are now (`listName`).
 */
export function RedirectToOwnList({ to, listName }: { to: string; listName: string }) {
  const { t } = useI18n();
  useEffect(() => {
    // one id: a second render (StrictMode) or a second stale link does not stack the same notice
    notifications.show({ id: 'list-not-allowed', color: 'yellow', message: t('list.notAllowed', { list: listName }) });
  }, [listName, t]);
  return <Navigate to={to} replace />;
}
