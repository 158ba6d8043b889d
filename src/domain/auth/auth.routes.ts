import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser, SESSION_COOKIE } from '../../platform/http/auth.ts';
import { zJson } from '../../platform/http/validate.ts';
import { login, logout, logoutEverywhere } from './auth.service.ts';
import { changePassword, disableTotp, enableTotp, requestPasswordReset, resetPassword, setupTotp } from './account.service.ts';
import { getSessionView } from '../users/users.service.ts';
import { ZChangePasswordBody, ZForgotPasswordBody, ZLoginBody, ZPasswordBody, ZResetPasswordBody, ZTotpCodeBody } from './auth.schemas.ts';
import { authRequired } from './auth.errors.ts';

const tags = ['Đăng nhập và tài khoản'];

function isHttps(c: Context<AppEnv>): boolean {
  const { config } = c.var.deps;
  const forwarded = config.trustProxy ? c.req.header('x-forwarded-proto') : undefined;
  return new URL(c.req.url).protocol === 'https:' || forwarded === 'https' || config.publicUrl.startsWith('https:');
}

/** Login, logout, the current session, password change and reset, two-factor. */
export const authRoutes = new Hono<AppEnv>()
  .post('/login', describeRoute({ tags, summary: 'Đăng nhập bằng tên đăng nhập hoặc email' }), zJson(ZLoginBody), async (c) => {
    const body = c.req.valid('json');
    const result = await login({
      db: c.var.db, config: c.var.deps.config, ...body, ip: c.var.ip, userAgent: c.req.header('user-agent') ?? '', requestId: c.var.requestId,
    });
    setCookie(c, SESSION_COOKIE, result.token, { httpOnly: true, sameSite: 'Lax', secure: isHttps(c), path: '/', expires: result.expiresAt });
    return c.json({ data: await getSessionView(c.var.db, result.userId, result.csrfToken) });
  })
  .get('/session', describeRoute({ tags, summary: 'Phiên làm việc hiện tại (người dùng, cơ quan, mã CSRF)' }), async (c) => {
    const actor = c.var.actor;
    const session = c.var.session;
    if (!actor || !session) throw authRequired();
    return c.json({ data: await getSessionView(c.var.db, actor.id, session.csrfToken) });
  })
  .post('/logout', describeRoute({ tags, summary: 'Đăng xuất' }), requireUser(), async (c) => {
    const session = c.var.session;
    if (session) await logout({ db: c.var.db, actor: actorOf(c), sessionId: session.id, ip: c.var.ip });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ data: { ok: true } });
  })
  .post('/logout-everywhere', describeRoute({ tags, summary: 'Đăng xuất khỏi mọi thiết bị' }), requireUser(), async (c) => {
    await logoutEverywhere({ db: c.var.db, actor: actorOf(c), ip: c.var.ip });
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ data: { ok: true } });
  })
  .post('/change-password', describeRoute({ tags, summary: 'Đổi mật khẩu' }), requireUser(), zJson(ZChangePasswordBody), async (c) => {
    const body = c.req.valid('json');
    await changePassword({ db: c.var.db, actor: actorOf(c), sessionId: c.var.session?.id ?? '', ...body, ip: c.var.ip });
    return c.json({ data: { ok: true } });
  })
  .post('/forgot-password', describeRoute({ tags, summary: 'Quên mật khẩu: gửi liên kết đặt lại qua email' }), zJson(ZForgotPasswordBody), async (c) => {
    await requestPasswordReset({ db: c.var.db, config: c.var.deps.config, login: c.req.valid('json').login, ip: c.var.ip });
    return c.json({ data: { ok: true } });
  })
  .post('/reset-password', describeRoute({ tags, summary: 'Đặt mật khẩu mới bằng liên kết trong email' }), zJson(ZResetPasswordBody), async (c) => {
    await resetPassword({ db: c.var.db, ...c.req.valid('json'), ip: c.var.ip });
    return c.json({ data: { ok: true } });
  })
  .post('/totp/setup', describeRoute({ tags, summary: 'Bắt đầu bật xác thực hai lớp: mã QR' }), requireUser(), async (c) => {
    return c.json({ data: await setupTotp({ db: c.var.db, actor: actorOf(c) }) });
  })
  .post('/totp/enable', describeRoute({ tags, summary: 'Xác nhận mã và bật xác thực hai lớp' }), requireUser(), zJson(ZTotpCodeBody), async (c) => {
    await enableTotp({ db: c.var.db, actor: actorOf(c), code: c.req.valid('json').code, ip: c.var.ip });
    return c.json({ data: { ok: true } });
  })
  .post('/totp/disable', describeRoute({ tags, summary: 'Tắt xác thực hai lớp' }), requireUser(), zJson(ZPasswordBody), async (c) => {
    await disableTotp({ db: c.var.db, actor: actorOf(c), password: c.req.valid('json').password, ip: c.var.ip });
    return c.json({ data: { ok: true } });
  });
