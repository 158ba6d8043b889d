import type { ReactNode } from 'react';
import { ActionIcon, Group, Text } from '@mantine/core';
import IconArrowUp from '@tabler/icons-react/dist/esm/icons/IconArrowUp.mjs';
import IconArrowDown from '@tabler/icons-react/dist/esm/icons/IconArrowDown.mjs';
import IconX from '@tabler/icons-react/dist/esm/icons/IconX.mjs';
import { useI18n } from '../../i18n/i18n.tsx';

/** Moves item `i` of a list by `by` places (a copy; out-of-range moves change nothing). */
export function moved<T>(list: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (j < 0 || j >= list.length) return [...list];
  const copy = [...list];
  [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  return copy;
}

/** One line of an ordered list with move up / move down / remove buttons (review chains). */
export function OrderedRow({ index, count, children, onMove, onRemove }: { index: number; count: number; children: ReactNode; onMove: (by: -1 | 1) => void; onRemove: () => void }) {
  const { t } = useI18n();
  return (
    <Group gap="xs" wrap="nowrap" py={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }} data-testid="chain-step">
      <Text size="sm" c="dimmed" w={28} style={{ flex: 'none' }}>{index + 1}.</Text>
      <div style={{ minWidth: 0, flex: 1 }}>{children}</div>
      <ActionIcon variant="subtle" size="lg" aria-label={t('outgoing.chain.up')} disabled={index === 0} onClick={() => onMove(-1)}><IconArrowUp size={18} /></ActionIcon>
      <ActionIcon variant="subtle" size="lg" aria-label={t('outgoing.chain.down')} disabled={index === count - 1} onClick={() => onMove(1)}><IconArrowDown size={18} /></ActionIcon>
      <ActionIcon variant="subtle" size="lg" color="red" aria-label={t('outgoing.chain.remove')} onClick={onRemove}><IconX size={18} /></ActionIcon>
    </Group>
  );
}

