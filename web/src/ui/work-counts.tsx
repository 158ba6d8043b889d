import type { ReactNode } from 'react';
import { Card, Group, SimpleGrid, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router';

/**
 * One tile of the home page's counts: a work list, how many documents wait in it (undefined while loading),
 * a note (e.g. overdue), and whether it hides while nothing waits (a list that is not the user's daily work).
 */
export type WorkTile = { key: string; label: string; to: string; testId: string; count: number | undefined; note?: ReactNode; isHiddenWhenEmpty?: boolean };

/** A titled row of tiles, each opening its list; nothing when no tile is left to show. */
export function WorkCounts({ title, tiles: all }: { title: string; tiles: WorkTile[] }) {
  const tiles = all.filter((tile) => !tile.isHiddenWhenEmpty || (tile.count ?? 0) > 0);
  if (tiles.length === 0) return null;
  return (
    <section>
      <Text fw={600} mb="sm">{title}</Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        {tiles.map((tile) => (
          <UnstyledButton key={tile.key} component={Link} to={tile.to} data-testid={tile.testId}>
            <Card withBorder radius="md" padding="md" h="100%">
              <Text size="sm" c="dimmed" lineClamp={2}>{tile.label}</Text>
              <Group mt={4} gap="xs" align="baseline">
                {tile.count === undefined ? <Skeleton h={34} w={40} />
                  : <Text fz={28} fw={700} lh={1.2}>{tile.count}</Text>}
                {tile.note}
              </Group>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
    </section>
  );
}
