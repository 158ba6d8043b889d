import type { ReactNode } from 'react';
import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import IconAlertTriangle from '@tabler/icons-react/dist/esm/icons/IconAlertTriangle.mjs';
import { useI18n } from '../i18n/i18n.tsx';
import { errorMessage } from '../api/forms.ts';

/** A centred spinner with a label, for a page or section that is loading. */
export function LoadingState({ minHeight = 200 }: { minHeight?: number | string }) {
  const { t } = useI18n();
  return (
    <Center mih={minHeight} role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed" size="sm">{t('app.loading')}</Text>
      </Group>
    </Center>
  );
}

/** A failed load: the error's message and a retry button. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert color="crimson" variant="light" icon={<IconAlertTriangle size={20} />} title={t('app.error.title')}>
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{errorMessage(error, t)}</Text>
        {onRetry && <Button size="xs" variant="white" color="crimson" onClick={onRetry}>{t('app.error.retry')}</Button>}
      </Stack>
    </Alert>
  );
}

/** A page's title line, its one-sentence purpose and its main actions (wrapping on phones). */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" gap="md" mb="lg">
      <div style={{ minWidth: 0, flex: '1 1 280px' }}>
        <Title order={2} fz={{ base: 22, sm: 26 }}>{title}</Title>
        {subtitle && <Text c="dimmed" size="sm" mt={4} maw={720}>{subtitle}</Text>}
      </div>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}
