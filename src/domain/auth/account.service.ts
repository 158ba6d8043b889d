import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import type { Config } from '../../platform/config.ts';
import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import { enqueue } from '../../platform/jobs/jobs.ts';
import { sendMailJob } from '../../platform/mail/mail.ts';
import type { Actor } from '../../policies/actor.ts';
import { findUserByLogin, lockUserForCredentials, updateCredentials } from '../users/users.credentials.ts';
import { authRepo } from './auth.repository.ts';
import { newToken, sha256Hex } from './auth.service.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from './passwords.ts';
import { newTotpSecret, totpEnrollment, verifyTotpCode } from './totp.ts';
import { authInvalidCredentials, authRateLimited, authResetInvalid, authTotpInvalid, authTotpNotSetUp, authWrongPassword } from './auth.errors.ts';

const RESET_TTL_MS = 30 * 60_000;
const RESET_WINDOW_MS = 60 * 60_000;
const RESET_MAX_PER_WINDOW = 5;

const auditActor = (actor: Actor, ip: string) => auditActorOf(actor, ip);

/**
 * Changes the signed-in user's password and ends their other sessions.
 * Throws auth.wrong_password, auth.weak_password.
 */
export async function changePassword(o: { db: Kysely<DB>; actor: Actor; sessionId: string; currentPassword: string; newPassword: string; ip: string }) {
  await o.db.transaction().execute(async (tx) => {
    const user = await lockUserForCredentials(tx, o.actor.id);
    if (!user || !(await verifyPassword(user.passwordHash, o.currentPassword))) throw authWrongPassword();
    assertStrongPassword(o.newPassword, user.username);
    await updateCredentials(tx, user.id, { passwordHash: await hashPassword(o.newPassword), passwordChangedAt: new Date(), mustChangePassword: false });
    await authRepo.deleteUserSessions(tx, user.id, o.sessionId);
    await audit(tx, auditActor(o.actor, o.ip), { type: 'USER_PASSWORD_CHANGED', entityType: 'user', entityId: user.id });
  });
}


/**
 * Starts "forgot password": when the login (username or email) names an active user with an email, a
 * single-use link valid for 30 minutes is mailed. Always answers the same way, so it does not reveal
 * which accounts exist. Throws auth.rate_limited.
 */
export async function requestPasswordReset(o: { db: Kysely<DB>; config: Config; login: string; ip: string }) {
  const since = new Date(Date.now() - RESET_WINDOW_MS);
  if ((await authRepo.countAttemptsSince(o.db, `reset:${o.ip}`, since)) >= RESET_MAX_PER_WINDOW) throw authRateLimited();
  await authRepo.recordAttempt(o.db, `reset:${o.ip}`);
  const user = await findUserByLogin(o.db, o.login);
  if (!user || !user.isActive || !user.email) return;
  const email = user.email;
  const token = newToken();
  await o.db.transaction().execute(async (tx) => {
    await authRepo.insertReset(tx, { userId: user.id, tokenHash: sha256Hex(token), expiresAt: new Date(Date.now() + RESET_TTL_MS) });
    await audit(tx, { id: user.id, agencyId: user.agencyId, name: user.username, ip: o.ip }, { type: 'USER_PASSWORD_RESET_REQUESTED', entityType: 'user', entityId: user.id });
    await enqueue(tx, sendMailJob, {
      agencyId: user.agencyId,
      to: email,
      subject: 'Đặt lại mật khẩu vanthu',
      text: resetMailText(user.fullName, `${o.config.publicUrl}/reset-password?token=${token}`),
    });
  });
}

function resetMailText(fullName: string, link: string): string {
  return [
    `Kính gửi ${fullName},`,
    '',
    'Có yêu cầu đặt lại mật khẩu cho tài khoản của bạn trên hệ thống quản lý văn bản vanthu.',
    `Để đặt mật khẩu mới, mở liên kết sau (hiệu lực 30 phút, chỉ dùng một lần):`,
    link,
    '',
    'Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu hiện tại vẫn giữ nguyên.',
  ].join('\n');
}

/**
 * Completes "forgot password" with the mailed token: sets the new password, ends all sessions and
 * lifts a lockout. Throws auth.reset_invalid, auth.weak_password.
 */
export async function resetPassword(o: { db: Kysely<DB>; token: string; newPassword: string; ip: string }) {
  await o.db.transaction().execute(async (tx) => {
    const reset = await authRepo.findResetForUpdate(tx, sha256Hex(o.token));
    if (!reset || reset.usedAt || reset.expiresAt <= new Date()) throw authResetInvalid();
    const user = await lockUserForCredentials(tx, reset.userId);
    if (!user || !user.isActive) throw authResetInvalid();
    assertStrongPassword(o.newPassword, user.username);
    await updateCredentials(tx, user.id, { passwordHash: await hashPassword(o.newPassword), passwordChangedAt: new Date(), failedLoginCount: 0, lockedUntil: null, mustChangePassword: false });
    await authRepo.markResetUsed(tx, reset.id);
    await authRepo.deleteUserSessions(tx, user.id);
    await audit(tx, { id: user.id, agencyId: user.agencyId, name: user.username, ip: o.ip }, { type: 'USER_PASSWORD_RESET_COMPLETED', entityType: 'user', entityId: user.id });
  });
}

/** Starts two-factor enrolment: stores a new secret (not yet active) and returns the QR code to scan. */
export async function setupTotp(o: { db: Kysely<DB>; actor: Actor }) {
  const secret = newTotpSecret();
  await updateCredentials(o.db, o.actor.id, { totpSecret: secret, totpEnabled: false, totpLastStep: null });
  return { secret, ...(await totpEnrollment(secret, o.actor.username)) };
}

/** Turns two-factor on once the user proves the app shows the right code. Throws auth.totp_not_set_up, auth.totp_invalid. */
export async function enableTotp(o: { db: Kysely<DB>; actor: Actor; code: string; ip: string }) {
  await o.db.transaction().execute(async (tx) => {
    const user = await lockUserForCredentials(tx, o.actor.id);
    if (!user?.totpSecret) throw authTotpNotSetUp();
    const step = verifyTotpCode(user.totpSecret, o.code, null);
    if (step === null) throw authTotpInvalid();
    await updateCredentials(tx, user.id, { totpEnabled: true, totpLastStep: step });
    await audit(tx, auditActor(o.actor, o.ip), { type: 'USER_TOTP_ENABLED', entityType: 'user', entityId: user.id });
  });
}

/** Turns two-factor off after re-checking the password. Throws auth.invalid_credentials. */
export async function disableTotp(o: { db: Kysely<DB>; actor: Actor; password: string; ip: string }) {
  await o.db.transaction().execute(async (tx) => {
    const user = await lockUserForCredentials(tx, o.actor.id);
    if (!user || !(await verifyPassword(user.passwordHash, o.password))) throw authInvalidCredentials();
    await updateCredentials(tx, user.id, { totpEnabled: false, totpSecret: null, totpLastStep: null });
    await audit(tx, auditActor(o.actor, o.ip), { type: 'USER_TOTP_DISABLED', entityType: 'user', entityId: user.id });
  });
}
