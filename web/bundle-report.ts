/**
 * Measures what the login page downloads first: the entry script of web/dist/index.html, its
 * modulepreloads and, transitively, every chunk they import statically (dynamic `import()`s — the
 * lazy pages — are left out), and its style sheets (render-blocking). Prints each file and the gzipped
 * totals against the budgets (300 KB of JavaScript, 16 KB of CSS).
 * `measureLazyChunks` gives what a lazy page adds to it (e2e/bundle.test.ts keeps that to a few files).
 *
 *   npx node web/bundle-report.ts            (after `npm run build:web`)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The initial-download budget of the login page, gzipped. */
export const BUDGET_BYTES = 300 * 1024;

/** The budget of the login page's style sheets, gzipped: Mantine's baseline and the login page's components (12.4 KB in December 2026; all of Mantine's is 35). */
export const CSS_BUDGET_BYTES = 16 * 1024;

export type BundleFile = { file: string; bytes: number; gzipBytes: number };
export type BundleReport = { files: BundleFile[]; totalBytes: number; totalGzipBytes: number };

// Static `import … from "x"`, bare `import "x"` and `export … from "x"` in minified ESM; `import("x")` is dynamic and excluded.
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["']([^"']+\.js)["']/g;
const ENTRY = /<script[^>]*type="module"[^>]*src="([^"]+)"/g;
const PRELOAD = /<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g;
const STYLESHEET = /<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g;

function staticImports(code: string): string[] {
  return [...code.matchAll(STATIC_IMPORT)].map((m) => m[1] ?? '').filter((s) => s.startsWith('.') || s.startsWith('/'));
}

function measureFile(distDir: string, file: string, code = readFileSync(file)): BundleFile {
  return { file: path.relative(distDir, file), bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/** Each file of `roots` (paths inside `distDir`) and, transitively, every chunk they import statically. */
function withStaticImports(distDir: string, roots: string[]): BundleFile[] {
  const seen = new Set<string>();
  const queue = roots.map((url) => path.join(distDir, url.replace(/^\//, '')));
  const files: BundleFile[] = [];
  while (queue.length > 0) {
    const file = queue.shift() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file);
    files.push(measureFile(distDir, file, code));
    for (const spec of staticImports(code.toString('utf8'))) {
      queue.push(spec.startsWith('/') ? path.join(distDir, spec) : path.resolve(path.dirname(file), spec));
    }
  }
  return files;
}

function report(files: BundleFile[]): BundleReport {
  return { files, totalBytes: files.reduce((n, f) => n + f.bytes, 0), totalGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0) };
}

/** Follows the entry script and its static imports from `distDir/index.html`; throws when the build is missing. */
export function measureInitialBundle(distDir: string): BundleReport {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  return report(withStaticImports(distDir, [...html.matchAll(ENTRY), ...html.matchAll(PRELOAD)].map((m) => m[1] ?? '')));
}

/** The style sheets `distDir/index.html` links (the browser paints nothing before they arrive); throws when the build is missing. */
export function measureInitialCss(distDir: string): BundleReport {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  return report([...html.matchAll(STYLESHEET)].map((m) => measureFile(distDir, path.join(distDir, (m[1] ?? '').replace(/^\//, '')))));
}

/**
 * The JavaScript files lazy chunks need that the browser does not hold yet: the chunks named `names`
 * (`dashboard.page` for assets/dashboard.page-<hash>.js) and what they import statically, less the files
 * in `loaded` (e.g. the login page's). Throws when a name matches no chunk.
 */
export function measureLazyChunks(distDir: string, names: string[], loaded: readonly BundleFile[] = []): BundleReport {
  const assets = readdirSync(path.join(distDir, 'assets'));
  const roots = names.map((name) => {
    const file = assets.find((f) => f.startsWith(`${name}-`) && f.endsWith('.js'));
    if (!file) throw new Error(`no chunk named ${name} in ${distDir}/assets`);
    return `assets/${file}`;
  });
  const known = new Set(loaded.map((f) => f.file));
  return report(withStaticImports(distDir, roots).filter((f) => !known.has(f.file)));
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist');
  const report = measureInitialBundle(dist);
  console.log('Initial JavaScript of the login page (entry + static imports):');
  for (const f of report.files) console.log(`  ${f.file.padEnd(52)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzipBytes).padStart(9)}`);
  console.log(`  ${'TOTAL'.padEnd(52)} ${kb(report.totalBytes).padStart(10)}  gzip ${kb(report.totalGzipBytes).padStart(9)}`);
  const ok = report.totalGzipBytes <= BUDGET_BYTES;
  console.log(`Budget ${kb(BUDGET_BYTES)} gzipped: ${ok ? 'OK' : 'EXCEEDED'}`);
  const css = measureInitialCss(dist);
  console.log('Style sheets of the login page:');
  for (const f of css.files) console.log(`  ${f.file.padEnd(52)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzipBytes).padStart(9)}`);
  const isCssOk = css.totalGzipBytes <= CSS_BUDGET_BYTES;
  console.log(`Budget ${kb(CSS_BUDGET_BYTES)} gzipped: ${isCssOk ? 'OK' : 'EXCEEDED'}`);
  process.exitCode = ok && isCssOk ? 0 : 1;
}
