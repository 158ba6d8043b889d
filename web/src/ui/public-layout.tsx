import type { ReactNode } from 'react';
import { Box, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useI18n } from '../i18n/i18n.tsx';
import { BRAND } from '../theme.ts';
import { Brand } from './brand.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import classes from './public-layout.module.css';

/** The frame of the pages seen before signing in: a navy brand panel beside (or above, on phones) a form card. */
export function PublicLayout({ title, subtitle, children, below }: { title: string; subtitle?: string; children: ReactNode; below?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className={classes.root}>
      <Box className={classes.panel} style={{ background: `linear-gradient(160deg, ${BRAND.navy} 0%, ${BRAND.navyDark} 100%)` }}>
        <div className={classes.stripe} style={{ background: BRAND.red }} />
        <Stack gap="xl" className={classes.panelInner}>
          <Brand inverted subtitle={t('app.tagline')} />
          <div className={classes.panelText}>
            <Title order={1} c="white" fz={30} lh={1.25}>{t('login.subtitle')}</Title>
            <Text c="rgba(255,255,255,.75)" mt="md" size="sm">{t('login.footer')}</Text>
          </div>
        </Stack>
      </Box>
      <main className={classes.main}>
        <Group justify="flex-end" p="md"><LanguageSwitch /></Group>
        <Container size={440} w="100%" px="md" pb="xl" className={classes.content}>
          <Paper withBorder shadow="sm" radius="md" p={{ base: 'lg', sm: 'xl' }}>
            <Title order={2} fz={24}>{title}</Title>
            {subtitle && <Text c="dimmed" size="sm" mt={6}>{subtitle}</Text>}
            <Box mt="lg">{children}</Box>
          </Paper>
          {below}
        </Container>
      </main>
    </div>
  );
}
