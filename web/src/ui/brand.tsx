import { Group, Text } from '@mantine/core';
import { BRAND } from '../theme.ts';

/** The product mark: a document under a red seal line, on navy. */
export function BrandMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" style={{ flex: 'none' }}>
      <rect width="64" height="64" rx="14" fill={BRAND.navy} stroke="rgba(255,255,255,.35)" strokeWidth="2" />
      <path d="M18 18h28v28H18z" fill="none" stroke="#fff" strokeWidth="4" strokeLinejoin="round" />
      <path d="M18 19l14 12 14-12" fill="none" stroke="#ff6b6b" strokeWidth="4" strokeLinejoin="round" />
    </svg>
  );
}

/** The mark with the product name; `inverted` for dark backgrounds. */
export function Brand({ inverted = false, subtitle }: { inverted?: boolean; subtitle?: string }) {
  return (
    <Group gap="sm" wrap="nowrap">
      <BrandMark />
      <div style={{ minWidth: 0 }}>
        <Text fw={700} size="lg" lh={1.1} c={inverted ? 'white' : BRAND.navy}>vanthu</Text>
        {subtitle && <Text size="xs" lh={1.2} c={inverted ? 'rgba(255,255,255,.75)' : 'dimmed'} truncate>{subtitle}</Text>}
      </div>
    </Group>
  );
}
