import { Button, EmptyState } from '@mantine/core';
import { Link } from 'react-router';
import IconMapSearch from '@tabler/icons-react/dist/esm/icons/IconMapSearch.mjs';
import { useI18n } from '../i18n/i18n.tsx';

/** The page for an unknown address inside the app. */
export default function NotFoundPage() {
  const { t } = useI18n();
  return (
    <EmptyState mt={64} size="lg" icon={<IconMapSearch size={36} />}>
      <EmptyState.Title order={1}>{t('notFound.title')}</EmptyState.Title>
      <EmptyState.Description>{t('notFound.help')}</EmptyState.Description>
      <EmptyState.Actions><Button component={Link} to="/">{t('notFound.home')}</Button></EmptyState.Actions>
    </EmptyState>
  );
}

