import { Button, EmptyState } from '@mantine/core';
import { Link } from 'react-router';
import IconMapSearch from '@tabler/icons-react/dist/esm/icons/IconMapSearch.mjs';
import { useI18n } from '../i18n/i18n.tsx';

/** The page for an unknown address inside the app. */
export default function NotFoundPage() {
  const { t } = useI18n();
  return (
    <EmptyState mt={64} size="lg" icon={<IconMapSearch size={36} />} title={t('notFound.title')} description={t('notFound.help')}>
      <Button component={Link} to="/" mt="md">{t('notFound.home')}</Button>
    </EmptyState>
  );
}

