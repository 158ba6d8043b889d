import { createTheme, type MantineColorsTuple } from '@mantine/core';

// Deep navy (primary) and a deep state red (accent), as on Vietnamese public-sector portals.
const navy: MantineColorsTuple = ['#edf1f8', '#d8e0ee', '#aebfdc', '#829cc9', '#5e7fba', '#476cb0', '#3a62ac', '#2c5197', '#244887', '#1c3c74'];
const crimson: MantineColorsTuple = ['#ffeaec', '#fcd4d6', '#f3a7ab', '#ea777d', '#e34e56', '#df353e', '#de2731', '#c51a24', '#b0131f', '#9a0518'];

/** The Mantine theme: defaults with a navy primary colour and a crimson accent. */
export const theme = createTheme({
  primaryColor: 'navy',
  primaryShade: { light: 8, dark: 5 },
  colors: { navy, crimson },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif',
  headings: { fontWeight: '650' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  // Sentence-case badges: uppercase Vietnamese with stacked diacritics is hard to read and gets truncated.
  components: { Badge: { defaultProps: { tt: 'none', fw: 600 } } },
});

/** Colours used outside Mantine components (header band, login panel). */
export const BRAND = { navyDark: '#16233f', navy: '#1c3c74', red: '#b0131f' } as const;
