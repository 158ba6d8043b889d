import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The web app: root `web/`, built to `web/dist`, which the server serves at / with an SPA fallback. */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The login page's initial JavaScript is measured by web/bundle-report.ts (budget: 300 KB gzipped).
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npm run dev:web` next to `npm run serve` (port 8080): the API stays same-origin through the proxy.
    proxy: { '/api': { target: 'http://localhost:8080' } },
  },
});
