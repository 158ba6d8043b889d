import { useEffect } from 'react';
import { Button, Center, Group, Stack, Text, Title } from '@mantine/core';
import { useRouteError } from 'react-router';
import { useI18n } from '../i18n/i18n.tsx';
import { LoadingState } from '../ui/states.tsx';
import { isCodeLoadError, reloadedLately, reloadForNewVersion } from './reload.ts';

/**
 * What a page shows when it fails to load or to draw, in place of React Router's developer page (English,
 * «Hey developer»). Most often a new version of vanthu was installed while the page was open and the piece
 * of code the next page needs is gone: the page reloads once by itself and comes back on the new version.
 * Otherwise (the reload did not help, or a page's own error) it says so in Vietnamese and offers a reload.
 * In the main bundle, not a lazy page: when the app's pieces cannot be fetched, neither could this one.
 */
export function RouteError() {
  const { t } = useI18n();
  const error = useRouteError();
  const isCode = isCodeLoadError(error);
  const willReload = isCode && !reloadedLately();
  useEffect(() => {
    if (willReload) reloadForNewVersion();
    else console.error(error);
  }, [error, willReload]);
  if (willReload) return <LoadingState minHeight="60vh" />;
  return (
    <Center mih="60vh" p="md">
      <Stack gap="sm" maw={480} role="alert">
        <Title order={1} fz={22}>{t(isCode ? 'routeError.code.title' : 'routeError.title')}</Title>
        <Text c="dimmed">{t(isCode ? 'routeError.code.help' : 'routeError.help')}</Text>
        <Group gap="sm" mt="xs">
          <Button onClick={() => window.location.reload()}>{t('routeError.reload')}</Button>
          <Button component="a" href="/" variant="default">{t('notFound.home')}</Button>
        </Group>
      </Stack>
    </Center>
  );
}
