// Icons are imported one module each (`@tabler/icons-react/dist/esm/icons/IconX.mjs`) so that the
// dev server and the bundler never load the 6,000-icon barrel; the package ships no per-icon types.
declare module '@tabler/icons-react/dist/esm/icons/*.mjs' {
  import type { TablerIcon } from '@tabler/icons-react';
  const icon: TablerIcon;
  export default icon;
}
