import { Suspense, useEffect } from 'react';
import { ActionIcon, AppShell, Burger, Group, NavLink, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import { useSession } from '../auth/session.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { BrandMark } from '../ui/brand.tsx';
import { LoadingState } from '../ui/states.tsx';
import { BRAND } from '../theme.ts';
import { activeNavTo, navFor, sectionKey } from './nav.ts';
import { UserMenu } from './user-menu.tsx';
import { NoticeBell } from '../notices/notice-bell.tsx';
// the messages of the pages behind the login, which render only inside this frame
import '../i18n/features.ts';

/** The signed-in frame: header with the agency, the search, the notices' bell and the user menu, a role-based navbar (a burger drawer on phones). */
export default function AppLayout() {
  const { t } = useI18n();
  const { data: session } = useSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  useEffect(close, [location.pathname, location.search, close]);
  if (!session) return null;
  const sections = navFor(session.user, session.can);
  const activeTo = activeNavTo(sections, location);
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 264, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={{ base: 'md', sm: 'xl' }}>
      <AppShell.Header style={{ background: BRAND.navyDark, borderBottom: `3px solid ${BRAND.red}` }}>
        <Group h="100%" px={{ base: 'sm', sm: 'md' }} justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" color="white" aria-label={t('shell.menu')} />
            <BrandMark size={30} />
            <div style={{ minWidth: 0 }}>
              {/* two lines on a phone: «Ủy ban nhân dân xã …» cut after its first words read the same in every agency */}
              <Text c="white" fw={650} fz={{ base: 13, xs: 'sm' }} lh={1.2} lineClamp={2} data-testid="header-agency">{session.agency?.name ?? t('app.name')}</Text>
              <Text c="rgba(255,255,255,.7)" size="xs" lh={1.2} truncate visibleFrom="xs">{t('app.tagline')}</Text>
            </div>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <HeaderSearch />
            <NoticeBell />
            <UserMenu session={session} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar aria-label={t('shell.menu')}>
        <AppShell.Section grow component={ScrollArea} p="sm">
          <Stack gap="md">
            {sections.map((s) => (
              <div key={sectionKey(s)}>
                {s.label && <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>{t(s.label)}</Text>}
                {s.items.map((item) => (
                  <NavLink key={item.to} component={Link} to={item.to} label={t(item.label)}
                    leftSection={<item.icon size={20} stroke={1.6} />}
                    active={item.to === activeTo} aria-current={item.to === activeTo ? 'page' : undefined}
                    style={{ borderRadius: 'var(--mantine-radius-md)' }} />
                ))}
              </div>
            ))}
          </Stack>
        </AppShell.Section>
        <AppShell.Section p="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
          <Text size="xs" c="dimmed" truncate>{session.agency?.code} · {session.unit?.name ?? ''}</Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

/** The search in the header: a field on a wide screen (Enter opens the results), an icon on a phone; both lead to /search. */
function HeaderSearch() {
  const { t } = useI18n();
  const navigate = useNavigate();
  if (useLocation().pathname === '/search') return null;
  return (
    <>
      <TextInput visibleFrom="md" w={300} size="sm" radius="md" leftSection={<IconSearch size={16} />} aria-label={t('search.open')} placeholder={t('search.header')}
        onKeyDown={(e) => { if (e.key === 'Enter' && e.currentTarget.value.trim()) void navigate(`/search?q=${encodeURIComponent(e.currentTarget.value.trim())}`); }} />
      <ActionIcon hiddenFrom="md" component={Link} to="/search" variant="subtle" color="white" size="lg" aria-label={t('search.open')}><IconSearch size={20} /></ActionIcon>
    </>
  );
}
