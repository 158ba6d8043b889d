import path from 'node:path';
import { z } from 'zod';

const ZBool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

/** Every setting vanthu reads from the environment, validated once at start. */
export const ZConfigEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080).describe('HTTP port'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Address to listen on'),
  DATA_DIR: z.string().min(1).default('./data').describe('Embedded database, blobs, mail outbox'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'phải bắt đầu bằng postgres://').optional().describe('PostgreSQL; embedded PGlite when unset'),
  VANTHU_DEMO: ZBool.optional().describe('Create the demo province on first start (default: on with the embedded database)'),
  PUBLIC_URL: z.url().optional().describe('Address users reach the server at (links in mail); default http://localhost:PORT'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'phải bắt đầu bằng smtp:// hoặc smtps://').optional().describe('Outgoing mail; without it mail is written to DATA_DIR/outbox'),
  MAIL_FROM: z.string().default('vanthu <no-reply@vanthu.local>').describe('Sender of outgoing mail'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30).describe('Idle timeout of a session'),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12).describe('Absolute lifetime of a session'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5).describe('Failed logins before a temporary lockout'),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15).describe('Length of the lockout'),
  MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(2048).default(100).describe('Largest accepted request body'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: ZBool.default(false).describe('Take the client IP from X-Forwarded-For'),
  VANTHU_TSA_URL: z.url().optional().describe('RFC 3161 TSA the archive job takes document timestamps from; the job waits while unset'),
  VANTHU_LTA_MARGIN_DAYS: z.coerce.number().int().min(1).max(3650).default(365).describe('Renew a kept PDF this many days before its last timestamp\'s TSA certificate expires'),
  VANTHU_PAGE_IMAGE_CACHE_MB: z.coerce.number().int().min(1).max(1024 * 1024).default(1024).describe('Most disk the page-1 images (DATA_DIR/.vanthu-cache/page-image) take; the least recently used go first'),
  VANTHU_PAGE_IMAGE_CACHE_DAYS: z.coerce.number().int().min(1).max(3650).default(30).describe('A page-1 image nobody has looked at for this many days is deleted (made again when asked for)'),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  blobDir: string;
  outboxDir: string;
  pgliteDir: string;
  databaseUrl: string | undefined;
  demo: boolean;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  loginMaxFailures: number;
  loginLockMs: number;
  maxUploadBytes: number;
  logLevel: string;
  trustProxy: boolean;
  archive: { tsaUrl: string | undefined; marginDays: number };
  pageImageCache: { maxBytes: number; maxAgeDays: number };
};

/** Thrown when the environment is wrong; the message lists every problem at once. */
export class ConfigError extends Error {}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ZConfigEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Cấu hình không hợp lệ (biến môi trường):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    blobDir: path.join(dataDir, 'blobs'),
    outboxDir: path.join(dataDir, 'outbox'),
    pgliteDir: path.join(dataDir, 'pglite'),
    databaseUrl: e.DATABASE_URL,
    demo: e.VANTHU_DEMO ?? !e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMs: e.LOGIN_LOCK_MINUTES * 60_000,
    maxUploadBytes: e.MAX_UPLOAD_MB * 1024 * 1024,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    archive: { tsaUrl: e.VANTHU_TSA_URL, marginDays: e.VANTHU_LTA_MARGIN_DAYS },
    pageImageCache: { maxBytes: e.VANTHU_PAGE_IMAGE_CACHE_MB * 1024 * 1024, maxAgeDays: e.VANTHU_PAGE_IMAGE_CACHE_DAYS },
  };
}
