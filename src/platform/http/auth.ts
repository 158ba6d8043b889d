import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import { loadSession } from '../../domain/auth/auth.service.ts';
import { authCsrf, authRequired } from '../../domain/auth/auth.errors.ts';
import type { Actor } from '../../policies/actor.ts';
import type { AppEnv } from './context.ts';

export const SESSION_COOKIE = 'vanthu_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the session cookie to `c.var.actor` (null when absent or expired) and guards against
 * cross-site requests: every state-changing request must come from our own origin, and one made
 * with a session must also carry that session's CSRF token in the X-CSRF-Token header.
 */
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  c.set('actor', null);
  c.set('session', null);
  const isUnsafe = !SAFE_METHODS.has(c.req.method);
  if (isUnsafe && !isSameOrigin(c)) throw authCsrf({ reason: 'origin' });
  const token = getCookie(c, SESSION_COOKIE);
  if (token) {
    const loaded = await loadSession(c.var.db, c.var.deps.config, token);
    if (loaded) {
      if (isUnsafe && c.req.header(CSRF_HEADER) !== loaded.session.csrfToken) throw authCsrf({ reason: 'token' });
      c.set('actor', loaded.actor);
      c.set('session', loaded.session);
    }
  }
  await next();
});

function isSameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  if (!origin) return true; // non-browser clients (CLI, integrations) send no Origin; cookies still need the token
  const url = new URL(c.req.url);
  const host = c.req.header('host') ?? url.host;
  return origin === `${url.protocol}//${host}` || origin === c.var.deps.config.publicUrl;
}

/** Requires a signed-in user (401 auth.required) and narrows `c.var.actor`. */
export const requireUser = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.actor) throw authRequired();
    await next();
  });

/** The signed-in actor; for handlers behind requireUser(). */
export function actorOf(c: Context<AppEnv>): Actor {
  const actor = c.var.actor;
  if (!actor) throw authRequired();
  return actor;
}
