import { Avatar, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import IconChevronDown from '@tabler/icons-react/dist/esm/icons/IconChevronDown.mjs';
import IconLogout from '@tabler/icons-react/dist/esm/icons/IconLogout.mjs';
import IconUserCircle from '@tabler/icons-react/dist/esm/icons/IconUserCircle.mjs';
import IconLanguage from '@tabler/icons-react/dist/esm/icons/IconLanguage.mjs';
import IconCheck from '@tabler/icons-react/dist/esm/icons/IconCheck.mjs';
import { rolesOf, useLogout, type SessionView } from '../auth/session.ts';
import { LANGS, useI18n } from '../i18n/i18n.tsx';

/** The initials of a Vietnamese name: the given name (last word) and the family name (first word). */
export function initialsOf(fullName: string): string {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** The header's user button: name and roles, profile, language, sign out. */
export function UserMenu({ session }: { session: SessionView }) {
  const { t, lang, setLang } = useI18n();
  const logout = useLogout();
  const navigate = useNavigate();
  const { user } = session;
  const roleText = rolesOf(user).map((r) => t(`role.${r}`)).join(', ');
  const signOut = async () => {
    await logout().catch(() => undefined);
    notifications.show({ color: 'navy', message: t('shell.loggedOut') });
    navigate('/login', { replace: true });
  };
  return (
    <Menu position="bottom-end" width={260} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={user.fullName} data-testid="user-menu" style={{ color: 'white', flex: 'none' }}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="crimson" variant="filled" radius="xl" size={34}>{initialsOf(user.fullName)}</Avatar>
            <Box visibleFrom="sm" maw={200}>
              <Text size="sm" fw={600} c="white" lh={1.2} truncate>{user.fullName}</Text>
              <Text size="xs" c="rgba(255,255,255,.7)" lh={1.2} truncate>{user.position || roleText}</Text>
            </Box>
            <IconChevronDown size={16} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="dark">{user.fullName}</Text>
          <Text size="xs" c="dimmed">{user.username} · {roleText}</Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item leftSection={<IconUserCircle size={18} />} onClick={() => navigate('/profile')}>{t('shell.profile')}</Menu.Item>
        <Menu.Label><Group gap={6}><IconLanguage size={14} />{t('lang.label')}</Group></Menu.Label>
        {LANGS.map((l) => (
          <Menu.Item key={l} onClick={() => setLang(l)} rightSection={l === lang ? <IconCheck size={16} /> : null}>{t(`lang.${l}`)}</Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item color="crimson" leftSection={<IconLogout size={18} />} onClick={() => void signOut()}>{t('shell.logout')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
