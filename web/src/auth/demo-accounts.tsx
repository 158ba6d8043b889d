import { Badge, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import classes from './demo-accounts.module.css';

/** In demo mode, the demo accounts from GET /api/public/info, grouped by agency; clicking one fills the form. */
export function DemoAccounts({ onPick }: { onPick: (login: string, password: string) => void }) {
  const { t } = useI18n();
  const info = useQuery({ queryKey: ['public-info'], queryFn: () => unwrap(api.public.info.$get()), staleTime: Infinity });
  const logins = info.data?.data.demoLogins ?? [];
  if (!info.data?.data.demo || logins.length === 0) return null;
  const agencies = [...new Set(logins.map((l) => l.agency))];
  const password = logins[0]?.password ?? '';
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="demo-title">
      <Group justify="space-between" mb={4}>
        <Text fw={600} id="demo-title">{t('login.demo.title')}</Text>
        <Badge color="crimson" variant="light">Demo</Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">{t('login.demo.help', { password })}</Text>
      <Stack gap="sm" className={classes.list}>
        {agencies.map((agency) => (
          <div key={agency}>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>{agency}</Text>
            <Stack gap={2}>
              {logins.filter((l) => l.agency === agency).map((l) => (
                <UnstyledButton key={l.username} className={classes.item} onClick={() => onPick(l.username, l.password)}
                  data-testid={`demo-${l.username}`}>
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <div style={{ minWidth: 0 }}>
                      <Text size="sm" fw={500} truncate>{l.fullName}</Text>
                      <Text size="xs" c="dimmed" truncate>{l.role}</Text>
                    </div>
                    <Text size="xs" ff="monospace" c="navy.8" style={{ flex: 'none' }}>{l.username}</Text>
                  </Group>
                </UnstyledButton>
              ))}
            </Stack>
          </div>
        ))}
      </Stack>
    </Paper>
  );
}
