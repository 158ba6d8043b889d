import { Card, Group, SimpleGrid, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { hasAnyRole, type SessionUser } from '../../auth/session.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { outgoingKeys } from './outgoing-api.ts';
import { BOXES, type Box } from './outgoing-routes.ts';

const WORK_BOXES: readonly Box[] = ['drafts', 'review', 'signature', 'to_issue'];
const LIMIT = 200;

/** The user's outgoing work lists with how many documents wait in each (the same queries as the lists). */
export function OutgoingWorkCounts({ user }: { user: Pick<SessionUser, 'roles'> }) {
  const { t } = useI18n();
  const boxes = WORK_BOXES.filter((b) => hasAnyRole(user, BOXES[b].roles));
  const counts = useQueries({
    queries: boxes.map((box) => ({
      queryKey: outgoingKeys.list(box, ''),
      queryFn: () => unwrap(api.outgoing.$get({ query: { box, limit: String(LIMIT) } })),
    })),
  });
  if (boxes.length === 0) return null;
  return (
    <section>
      <Text fw={600} mb="sm">{t('dashboard.outgoing')}</Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        {boxes.map((box, i) => {
          const rows = counts[i]?.data?.data;
          return (
            <UnstyledButton key={box} component={Link} to={BOXES[box].path} data-testid={`outgoing-count-${box}`}>
              <Card withBorder radius="md" padding="md" h="100%">
                <Text size="sm" c="dimmed" lineClamp={2}>{t(BOXES[box].label)}</Text>
                <Group mt={4}>
                  {rows ? <Text fz={28} fw={700} lh={1.2}>{rows.length >= LIMIT ? `${LIMIT}+` : rows.length}</Text> : <Skeleton h={34} w={40} />}
                </Group>
              </Card>
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
    </section>
  );
}
