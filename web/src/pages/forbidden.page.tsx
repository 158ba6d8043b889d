import { Button, EmptyState } from '@mantine/core';
import { Link } from 'react-router';
import IconLock from '@tabler/icons-react/dist/esm/icons/IconLock.mjs';
import { useI18n } from '../i18n/i18n.tsx';

/** The page for a known address the user's roles do not open. */
export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <EmptyState mt={64} size="lg" color="crimson" icon={<IconLock size={36} />}>
      <EmptyState.Title order={1}>{t('forbidden.title')}</EmptyState.Title>
      <EmptyState.Description>{t('forbidden.help')}</EmptyState.Description>
      <EmptyState.Actions><Button component={Link} to="/">{t('notFound.home')}</Button></EmptyState.Actions>
    </EmptyState>
  );
}
