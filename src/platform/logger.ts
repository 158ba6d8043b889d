import { pino, type Logger } from 'pino';

export type { Logger };

/** The structured logger (JSON lines on stdout); secrets in headers are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'vanthu' },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'password', 'newPassword', 'currentPassword'],
  });
}
