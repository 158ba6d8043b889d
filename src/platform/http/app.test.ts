import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';

const t = useTestApp({ maxUploadBytes: 1024 });

describe('the HTTP edge', () => {
  test('an unknown API route is a JSON 404 with a stable code', async () => {
    const res = await t.app.request('/api/khong-co');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'route.not_found', message: expect.stringMatching(/Không tìm thấy/) } });
  });

  test('an oversized body is a 413 with a stable code', async () => {
    const res = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '5000' }, body: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request.too_large');
  });

  test('malformed JSON and invalid fields are 400 with field details, never a stack trace', async () => {
    const broken = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login":' });
    expect(broken.status).toBe(400);
    const text = await broken.text();
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    const invalid = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: '', password: 1 }) });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; details: { fields: { path: string }[] } } };
    expect(body.error.code).toBe('request.invalid');
    expect(body.error.details.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['login', 'password']));
  });

  test('a protected route without a session is 401 auth.required', async () => {
    const res = await t.app.request('/api/users');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('auth.required');
  });

  test('a piece of the web app that is not there (an old version\'s, asked for after an upgrade) is a 404 kept by no cache, not the app\'s page', async () => {
    const res = await t.app.request('/assets/outgoing-detail.page-OLDHASH1.js');
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control') ?? '').not.toMatch(/immutable/);
    expect(await res.text()).toMatch(/tải lại trang/);
    // an address of the app itself is still answered by its page (or the «not built» notice)
    expect([200, 503]).toContain((await t.app.request('/incoming/123')).status);
  });

  test('every response carries a request id, and API responses are not cached', async () => {
    const res = await t.app.request('/api/public/info');
    expect(res.headers.get('x-request-id')).toMatch(/[0-9a-f-]{36}/);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('the OpenAPI 3.1 document describes the routes with their request schemas, and /api/docs serves a local viewer', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/auth/login']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/orgs/units', '/api/users/{id}']));
    const page = await t.app.request('/api/docs');
    expect(await page.text()).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect((await t.app.request('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });

  test('API responses are gzipped for a client that accepts it, and plain for one that does not', async () => {
    const zipped = await t.app.request('/api/openapi.json', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
    const bytes = Buffer.from(await zipped.arrayBuffer());
    const plain = await t.app.request('/api/openapi.json');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    expect(gunzipSync(bytes).toString('utf8')).toBe(text);
    expect(bytes.length).toBeLessThan(text.length / 4);
  });
});
