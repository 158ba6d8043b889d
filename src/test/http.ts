import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { AppEnv } from '../platform/http/context.ts';
import type { DB } from '../platform/db/client.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';

type Json = Record<string, unknown> | unknown[];
export type TestResponse = { status: number; body: { data?: unknown; error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>; headers: Headers };

/**
 * A browser-like client for `app.request(...)`: keeps the session cookie and sends the CSRF token,
 * so route tests exercise the real middleware stack.
 */
export function testClient(app: Hono<AppEnv>) {
  let cookie = '';
  let csrf = '';
  const request = async (method: string, path: string, body?: Json | string, headers: Record<string, string> = {}): Promise<TestResponse> => {
    const h: Record<string, string> = { ...headers };
    if (cookie) h.cookie = cookie;
    if (csrf && method !== 'GET') h['x-csrf-token'] ??= csrf;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await app.request(path, { method, headers: h, body: payload });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const value = /vanthu_session=([^;]*)/.exec(setCookie)?.[1] ?? '';
      cookie = value && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(setCookie) ? `vanthu_session=${value}` : '';
    }
    const text = await res.text();
    let parsed: TestResponse['body'] = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text };
    }
    const data = parsed.data as { csrfToken?: string } | undefined;
    if (data && typeof data === 'object' && typeof data.csrfToken === 'string') csrf = data.csrfToken;
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => request('GET', path, undefined, headers),
    post: (path: string, body?: Json | string, headers?: Record<string, string>) => request('POST', path, body ?? {}, headers),
    patch: (path: string, body: Json, headers?: Record<string, string>) => request('PATCH', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => request('DELETE', path, undefined, headers),
    login: (login: string, password: string, totp?: string) => request('POST', '/api/auth/login', { login, password, ...(totp && { totp }) }),
    get cookie() {
      return cookie;
    },
    forgetCsrf: () => {
      csrf = '';
    },
  };
}

/** A client logged in through the real login route as an existing user (made with the test password unless `password` says otherwise). */
export async function loggedInClient(app: Hono<AppEnv>, username: string, password = TEST_PASSWORD) {
  const client = testClient(app);
  const res = await client.login(username, password);
  if (res.status !== 200) throw new Error(`test login failed: ${JSON.stringify(res.body)}`);
  return client;
}

/** A new user (see makeUser) already logged in through the real login route. */
export async function signedInClient(app: Hono<AppEnv>, db: Kysely<DB>, values: Parameters<typeof makeUser>[1] = {}) {
  const made = await makeUser(db, values);
  return { ...made, client: await loggedInClient(app, made.user.username, values.password) };
}
