import { Text } from '@mantine/core';

/** A small dimmed label over its value, for the facts of a card (long codes and line breaks kept readable on a phone). */
export function Field({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{value}</Text>
    </div>
  );
}
