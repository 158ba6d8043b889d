import { existsSync } from 'node:fs';
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

// A Mantine component's class names (`…/Button/Button.module.mjs`), whose rules are `styles/Button.layer.css`.
const MANTINE_CLASSES = /[\\/]@mantine[\\/]core[\\/]esm[\\/].*[\\/](\w+)\.module\.mjs$/;

/**
 * Mantine's style sheet per component, carried by the chunk that holds the component's code: the login
 * page's render-blocking sheet is the baseline (web/src/main.tsx) and the ~25 components the login page
 * runs (12 KB gzipped, not the whole sheet's 35), and the rest come with the code of the pages that use them — Vite
 * loads a chunk's CSS before it runs the chunk, so nothing shows unstyled. Every sheet is in the `mantine`
 * CSS layer (`*.layer.css`), as Mantine advises when sheets arrive in no fixed order: the app's own CSS
 * (unlayered) still wins, as it did when it came after the whole sheet. A component imports the sheets of
 * the components it is built on before its own, so within the layer they keep Mantine's order.
 * `npm run dev:web` (prebundled dependencies, which this hook does not see) gets the whole sheet.
 */
function mantineStylesPerComponent(): Plugin {
  let isBuild = true;
  return {
    name: 'vanthu-mantine-styles-per-component',
    configResolved(config) {
      isBuild = config.command === 'build';
    },
    transform(code, id) {
      if (!isBuild) return id.endsWith('/web/src/main.tsx') ? `import '@mantine/core/styles.layer.css';\n${code}` : undefined;
      const name = MANTINE_CLASSES.exec(id)?.[1];
      if (!name) return undefined;
      const sheet = path.join(root, '../node_modules/@mantine/core/styles', `${name}.layer.css`);
      if (!existsSync(sheet)) this.error(`no style sheet ${sheet} for ${id}: has Mantine's layout of files changed?`);
      return { code: `import '@mantine/core/styles/${name}.layer.css';\n${code}`, map: null };
    },
  };
}

/** The web app: root `web/`, built to `web/dist`, which the server serves at / with an SPA fallback. */
export default defineConfig({
  root,
  plugins: [react(), mantineStylesPerComponent(), precompress()],
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
