import { Button, EmptyState } from '@mantine/core';
import { Link } from 'react-router';
import IconLock from '@tabler/icons-react/dist/esm/icons/IconLock.mjs';
import { useI18n } from '../i18n/i18n.tsx';

/** The page for a known address the user's roles do not open. */
export function ForbiddenPage() {
  const { t } = useI18n();
  return (
    <EmptyState mt={64} size="lg" color="crimson" icon={<IconLock size={36} />} title={t('forbidden.title')} description={t('forbidden.help')}>
      <Button component={Link} to="/" mt="md">{t('notFound.home')}</Button>
    </EmptyState>
  );
}
