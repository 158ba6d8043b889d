import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { BUDGET_BYTES, CSS_BUDGET_BYTES, measureInitialBundle, measureInitialCss, measureLazyChunks } from '../web/bundle-report.ts';
import { ensureWebBuilt, ROOT, startTestServer } from './harness.ts';

const DIST = path.join(ROOT, 'web', 'dist');

test('the login page downloads at most 300 KB of gzipped JavaScript before the lazy pages', async () => {
  await ensureWebBuilt();
  const report = measureInitialBundle(DIST);
  expect(report.files.length).toBeGreaterThan(0);
  expect(report.files.some((f) => f.file.includes('dashboard.page'))).toBe(false);
  expect(report.totalGzipBytes).toBeLessThanOrEqual(BUDGET_BYTES);
});

/** The first class name of one of Mantine's per-component sheets (e.g. `Table` → `.m_b23fa0ef`), to find that sheet in the build. */
function mantineClassOf(component: string): string {
  const sheet = readFileSync(path.join(ROOT, 'node_modules', '@mantine', 'core', 'styles', `${component}.css`), 'utf8');
  const found = /\.m_[0-9a-f]+/.exec(sheet)?.[0];
  if (!found) throw new Error(`no class in ${component}.css`);
  return found;
}

test('the login page\'s style sheet is Mantine\'s baseline and the login page\'s components, within 16 KB gzipped; the others\' come with the pages behind it', async () => {
  await ensureWebBuilt();
  const report = measureInitialCss(DIST);
  expect(report.files.length).toBe(1);
  expect(report.totalGzipBytes).toBeLessThanOrEqual(CSS_BUDGET_BYTES);
  const login = report.files.map((f) => readFileSync(path.join(DIST, f.file), 'utf8')).join('');
  // in Mantine's CSS layer, so the app's own CSS wins whatever order the sheets arrive in
  expect(login).toMatch(/^@layer mantine\b/);
  expect(login).toContain('--mantine-color-body');
  for (const component of ['Button', 'Input', 'PasswordInput', 'Alert', 'Notification']) expect(login, component).toContain(mantineClassOf(component));
  const later = readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.css') && !report.files.some((l) => l.file === `assets/${f}`))
    .map((f) => readFileSync(path.join(DIST, 'assets', f), 'utf8')).join('');
  for (const component of ['Table', 'Modal', 'Combobox', 'Tabs', 'AppShell', 'NavLink']) {
    expect(login, component).not.toContain(mantineClassOf(component));
    expect(later, component).toContain(mantineClassOf(component));
  }
});

test('the tests\' web app is the production build users get (vitest runs with NODE_ENV=test)', async () => {
  await ensureWebBuilt();
  const code = measureInitialBundle(DIST).files.map((f) => readFileSync(path.join(DIST, f.file), 'utf8')).join('');
  // a message only React's development build carries
  expect(code).not.toContain('validateDOMNesting');
});

test('the login page\'s scripts carry the messages of the login and public pages, not those of the pages behind it (web/src/i18n/features.ts)', async () => {
  await ensureWebBuilt();
  const code = measureInitialBundle(DIST).files.map((f) => readFileSync(path.join(DIST, f.file), 'utf8')).join('');
  expect(code).toContain('Đăng nhập');
  expect(code).toContain('Kiểm tra chữ ký số của văn bản');
  // «Chờ tôi ký» (văn bản đi), «Chờ vào sổ» and «Cho ý kiến chỉ đạo» (văn bản đến): behind the login
  for (const text of ['Chờ tôi ký', 'Chờ vào sổ', 'Cho ý kiến chỉ đạo']) expect(code, text).not.toContain(text);
});

test('after signing in, the home page needs three files more than the login page (the layout, the pages\' shared code, the page) and every other page one or two', async () => {
  await ensureWebBuilt();
  const login = measureInitialBundle(DIST).files;
  // on a slow network each file is a request with its own headers, and six at a time over HTTP/1.1
  const home = measureLazyChunks(DIST, ['app-layout', 'dashboard.page'], login);
  expect(home.files.map((f) => f.file.replace(/-[\w-]{8}\.js$/, '')).sort()).toEqual(['assets/app', 'assets/app-layout', 'assets/dashboard.page']);
  for (const page of ['incoming-list.page', 'incoming-detail.page', 'outgoing-list.page', 'outgoing-detail.page']) {
    expect(measureLazyChunks(DIST, [page], [...login, ...home.files]).files.length, page).toBeLessThanOrEqual(2);
  }
});

test('the server sends the login page\'s scripts Brotli-compressed to a browser that accepts it, gzip to one that accepts only gzip, plain otherwise', async () => {
  await ensureWebBuilt();
  const files = measureInitialBundle(DIST).files.map((f) => f.file);
  const server = await startTestServer();
  try {
    let sent = 0;
    for (const file of files) {
      const url = `${server.url}/${file}`;
      const original = readFileSync(path.join(DIST, file));
      // A file under 1 KiB has no compressed copy (vite.config.ts): it travels as it is.
      const [brotli, gzip] = original.length < 1024 ? [null, null] : ['br', 'gzip'];
      // fetch decodes the body it is sent: the text matches the file whatever the encoding.
      const br = await fetch(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers.get('content-encoding')).toBe(brotli);
      expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(Buffer.from(await br.arrayBuffer()).equals(original)).toBe(true);
      sent += Number(br.headers.get('content-length'));
      const gz = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
      expect(gz.headers.get('content-encoding')).toBe(gzip);
      expect(Buffer.from(await gz.arrayBuffer()).equals(original)).toBe(true);
      const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(Number(plain.headers.get('content-length'))).toBe(original.length);
      await plain.arrayBuffer();
    }
    expect(sent).toBeLessThan(measureInitialBundle(DIST).totalBytes / 3);
    expect(sent).toBeLessThanOrEqual(BUDGET_BYTES);
  } finally {
    await server.stop();
  }
});
