import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import type { Config } from '../../platform/config.ts';
import { audit, auditActorOf, type AuditActor } from '../../platform/audit/audit.ts';
import type { Actor, Role } from '../../policies/actor.ts';
import { isAppError } from '../../platform/errors.ts';
import { findUserByLogin, lockUserForCredentials, updateCredentials } from '../users/users.credentials.ts';
import { authRepo } from './auth.repository.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { verifyTotpCode } from './totp.ts';
import { authInactive, authInvalidCredentials, authLocked, authRateLimited, authTotpInvalid, authTotpRequired } from './auth.errors.ts';

const IP_WINDOW_MS = 15 * 60_000;
const IP_MAX_ATTEMPTS = 30;

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export type LoginOptions = { db: Kysely<DB>; config: Config; login: string; password: string; totp?: string; ip: string; userAgent: string; requestId?: string };
export type LoginResult = { token: string; csrfToken: string; expiresAt: Date; userId: string };

type Attempt = { ok: true; result: LoginResult } | { ok: false; error: Error };

/**
 * Counts one more attempt under `key` (`ip:…` for sign-in, `verify:…` for the public check page) and throws
 * auth.rate_limited, counting nothing, when `max` were already made within the last `windowMs`. Returns the
 * attempt's id (sign-in takes it back when the attempt was not a failure).
 */
export async function limitAttempts(db: Kysely<DB>, key: string, o: { max: number; windowMs: number }): Promise<number> {
  if ((await authRepo.countAttemptsSince(db, key, new Date(Date.now() - o.windowMs))) >= o.max) throw authRateLimited();
  return authRepo.recordAttempt(db, key);
}

/**
 * Logs a user in by username or email and opens a session. Failed attempts count towards a temporary
 * lockout (committed even though the call then throws). Throws auth.rate_limited, auth.locked,
 * auth.invalid_credentials, auth.inactive, auth.totp_required, auth.totp_invalid.
 *
 * The per-IP limit counts failed sign-ins only: a commune's or a department's staff often reach the
 * server through one public address, and their morning's sign-ins must not lock each other out. An
 * attempt is recorded before the password is checked (so parallel guesses count at once) and taken back
 * when it signs in, or only asks for the second factor.
 */
export async function login(options: LoginOptions): Promise<LoginResult> {
  const { db, ip } = options;
  const attemptId = await limitAttempts(db, `ip:${ip}`, { max: IP_MAX_ATTEMPTS, windowMs: IP_WINDOW_MS });
  const found = await findUserByLogin(db, options.login);
  if (!found) {
    await verifyPassword(await dummyPasswordHash(), options.password);
    throw authInvalidCredentials();
  }
  const attempt = await db.transaction().execute((tx) => attemptLogin(tx, options, found.id));
  if (attempt.ok || isAppError(attempt.error, authTotpRequired.code)) await authRepo.forgetAttempt(db, attemptId);
  if (!attempt.ok) throw attempt.error;
  return attempt.result;
}

async function attemptLogin(tx: Kysely<DB>, options: LoginOptions, userId: string): Promise<Attempt> {
  const { config } = options;
  const user = await lockUserForCredentials(tx, userId);
  if (!user) return { ok: false, error: authInvalidCredentials() };
  const who: AuditActor = { id: user.id, agencyId: user.agencyId, name: user.username, ip: options.ip, requestId: options.requestId };
  if (user.lockedUntil && user.lockedUntil > new Date()) return { ok: false, error: authLocked({ until: user.lockedUntil.toISOString() }) };
  const isPasswordOk = await verifyPassword(user.passwordHash, options.password);
  if (isPasswordOk && !user.isActive) return { ok: false, error: authInactive() };
  if (isPasswordOk && user.totpEnabled && !options.totp) return { ok: false, error: authTotpRequired() };
  const totpStep = isPasswordOk && user.totpEnabled && user.totpSecret ? verifyTotpCode(user.totpSecret, options.totp ?? '', user.totpLastStep) : null;
  const isTotpOk = !user.totpEnabled || totpStep !== null;
  if (!isPasswordOk || !isTotpOk) {
    const failures = user.failedLoginCount + 1;
    const isLocking = failures >= config.loginMaxFailures;
    await updateCredentials(tx, user.id, isLocking ? { failedLoginCount: 0, lockedUntil: new Date(Date.now() + config.loginLockMs) } : { failedLoginCount: failures });
    await audit(tx, who, { type: 'USER_LOGIN_FAILED', entityType: 'user', entityId: user.id, data: { reason: isPasswordOk ? 'totp' : 'password' } });
    if (isLocking) await audit(tx, who, { type: 'USER_LOCKED_OUT', entityType: 'user', entityId: user.id, data: { minutes: config.loginLockMs / 60_000 } });
    return { ok: false, error: isLocking ? authLocked() : isPasswordOk ? authTotpInvalid() : authInvalidCredentials() };
  }
  await updateCredentials(tx, user.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date(), ...(totpStep !== null && { totpLastStep: totpStep }) });
  const session = await openSession(tx, config, user.id, options.ip, options.userAgent);
  await audit(tx, who, { type: 'USER_LOGGED_IN', entityType: 'user', entityId: user.id });
  return { ok: true, result: session };
}

/** Creates a session row; only the SHA-256 of the cookie token is stored. */
export async function openSession(tx: Kysely<DB>, config: Config, userId: string, ip: string, userAgent: string): Promise<LoginResult> {
  const token = newToken();
  const csrfToken = newToken(24);
  const expiresAt = new Date(Date.now() + config.sessionAbsoluteMs);
  await authRepo.insertSession(tx, { id: sha256Hex(token), userId, csrfToken, expiresAt, ip, userAgent: userAgent.slice(0, 300) });
  return { token, csrfToken, expiresAt, userId };
}

export type LoadedSession = { actor: Actor; session: { id: string; csrfToken: string; expiresAt: Date } };

// last_seen_at is written at most once a minute per session, not on every request.
const TOUCH_EVERY_MS = 60_000;

/** Resolves a cookie token to its user, enforcing the idle and absolute timeouts; null when invalid. */
export async function loadSession(db: Kysely<DB>, config: Config, token: string): Promise<LoadedSession | null> {
  if (!token || token.length > 100) return null;
  const id = sha256Hex(token);
  const row = await authRepo.findSession(db, id);
  if (!row) return null;
  const now = Date.now();
  const isExpired = row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + config.sessionIdleMs <= now;
  if (isExpired || !row.isActive) {
    await authRepo.deleteSession(db, id);
    return null;
  }
  if (now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await authRepo.touchSession(db, id, new Date(now));
  return {
    actor: { id: row.userId, agencyId: row.agencyId, unitId: row.unitId, username: row.username, fullName: row.fullName, roles: row.roles as Role[] },
    session: { id, csrfToken: row.csrfToken, expiresAt: row.expiresAt },
  };
}

/** Ends one session (log out). */
export async function logout({ db, actor, sessionId, ip }: { db: Kysely<DB>; actor: Actor; sessionId: string; ip: string }) {
  await db.transaction().execute(async (tx) => {
    await authRepo.deleteSession(tx, sessionId);
    await audit(tx, auditActorOf(actor, ip), { type: 'USER_LOGGED_OUT', entityType: 'user', entityId: actor.id });
  });
}

/** Ends every session of a user in the caller's transaction (their account disabled, their password reset by an admin); answers how many. */
export const endUserSessions = async (tx: Kysely<DB>, userId: string): Promise<number> =>
  Number((await authRepo.deleteUserSessions(tx, userId)).numDeletedRows);

/** Ends every session of the user, this one included (log out everywhere). */
export async function logoutEverywhere({ db, actor, ip }: { db: Kysely<DB>; actor: Actor; ip: string }) {
  await db.transaction().execute(async (tx) => {
    const deleted = await authRepo.deleteUserSessions(tx, actor.id);
    await audit(tx, auditActorOf(actor, ip), {
      type: 'USER_LOGGED_OUT_EVERYWHERE', entityType: 'user', entityId: actor.id, data: { sessions: Number(deleted.numDeletedRows) },
    });
  });
}
