import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy next to every text file of the build over 1 KiB, which the
 * server sends to browsers that accept them (src/platform/http/app.ts): a phone on a slow network
 * downloads about a quarter of the bytes. Brotli quality 7: within 1 % of quality 9 at a fifth of the
 * time (quality 11 saves another 8 % for 6 s more of every `npm start` on two cores).
 */
function precompress(): Plugin {
  const [br, gz] = [promisify(brotliCompress), promisify(gzip)];
  return {
    name: 'vanthu-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? path.join(root, 'dist');
      await Promise.all(Object.keys(bundle).filter((name) => /\.(m?js|css|html|svg|json)$/.test(name)).map(async (name) => {
        const file = path.join(dir, name);
        const data = await readFile(file);
        if (data.length < 1024) return;
        const params = { [constants.BROTLI_PARAM_QUALITY]: 7, [constants.BROTLI_PARAM_SIZE_HINT]: data.length };
        await Promise.all([writeFile(`${file}.br`, await br(data, { params })), writeFile(`${file}.gz`, await gz(data, { level: 9 }))]);
      }));
    },
  };
}

/** The web app: root `web/`, built to `web/dist`, which the server serves at / with an SPA fallback. */
export default defineConfig({
  root,
  plugins: [react(), precompress()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The login page's initial JavaScript is measured by web/bundle-report.ts (budget: 300 KB gzipped).
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // Left to itself the bundler cut the shared code of the lazy pages into ~100 files, most of them
        // one icon or one Mantine component of 1–3 KB: the home page after signing in took 30 requests,
        // each with ~1 KB of headers and, over HTTP/1.1's six connections, a round trip per six. Now:
        // what the login page runs is one file (`index`), the code two or more lazy pages share is one
        // more (`app`, cached after the first signed-in page), and each page is its own file.
        codeSplitting: {
          groups: [
            { name: 'index', tags: ['$initial'], priority: 2 },
            { name: 'app', minShareCount: 2, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev:web` next to `npm run serve` (port 8080): the API stays same-origin through the proxy.
    proxy: { '/api': { target: 'http://localhost:8080' } },
  },
});
