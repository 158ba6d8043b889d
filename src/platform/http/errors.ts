import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../errors.ts';
import type { AppEnv } from './context.ts';

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/**
 * The one error handler: an AppError becomes `{ error: { code, message, details? } }` with its
 * status; anything else is a 500 `internal.error` logged with the request id — no stack trace
 * ever reaches the client. Error responses are never cached: browsers may otherwise keep a 4xx
 * from one user's session and show it after they log in again.
 */
export function handleError(error: Error, c: Context<AppEnv>) {
  c.header('Cache-Control', 'no-store');
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details !== undefined && { details: error.details }) } };
    return c.json(body, error.status as 400);
  }
  if (error instanceof HTTPException && error.status === 413) {
    return c.json({ error: { code: 'request.too_large', message: 'Dữ liệu gửi lên vượt quá dung lượng cho phép.' } }, 413);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return c.json({ error: { code: 'request.invalid', message: 'Yêu cầu không hợp lệ.' } }, error.status);
  }
  c.var.logger?.error({ err: error, requestId: c.var.requestId }, 'unhandled error');
  return c.json({ error: { code: 'internal.error', message: 'Lỗi hệ thống. Vui lòng thử lại hoặc báo quản trị viên (mã yêu cầu: ' + (c.var.requestId ?? '-') + ').' } }, 500);
}

export function handleNotFound(c: Context<AppEnv>) {
  return c.json({ error: { code: 'route.not_found', message: 'Không tìm thấy địa chỉ yêu cầu.' } }, 404);
}
