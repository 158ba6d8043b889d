import { Card, Group, SimpleGrid, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { INCOMING_BOXES, incomingKeys } from './incoming-api.ts';

const WORK_BOXES = INCOMING_BOXES.filter((b) => b.box !== 'all');
const LIMIT = 200;

/** The user's incoming work lists (to register, to direct, my tasks, my unit's) with how many wait in each and how many are overdue. */
export function IncomingWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const boxes = WORK_BOXES.filter((b) => !b.roles || hasAnyRole(user, b.roles));
  const counts = useQueries({
    queries: boxes.map(({ box }) => ({
      queryKey: [...incomingKeys.all, 'count', box],
      queryFn: () => unwrap(api.incoming.$get({ query: { box, limit: String(LIMIT) } })),
    })),
  });
  if (boxes.length === 0) return null;
  return (
    <section>
      <Text fw={600} mb="sm">{t('dashboard.incoming')}</Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        {boxes.map(({ box, label }, i) => {
          const rows = counts[i]?.data?.data;
          const overdue = rows?.filter((d) => d.isOverdue).length ?? 0;
          return (
            <UnstyledButton key={box} component={Link} to={`/incoming?box=${box}`} data-testid={`incoming-count-${box}`}>
              <Card withBorder radius="md" padding="md" h="100%">
                <Text size="sm" c="dimmed" lineClamp={2}>{t(label)}</Text>
                <Group mt={4} gap="xs" align="baseline">
                  {rows ? <Text fz={28} fw={700} lh={1.2}>{rows.length >= LIMIT ? `${LIMIT}+` : rows.length}</Text> : <Skeleton h={34} w={40} />}
                  {overdue > 0 && <Text size="sm" c="red" fw={600}>{t('dashboard.incoming.overdue', { count: overdue })}</Text>}
                </Group>
              </Card>
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
    </section>
  );
}
