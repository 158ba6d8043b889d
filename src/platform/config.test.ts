import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  test('defaults: embedded database under ./data, demo on, port 8080', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.demo).toBe(true);
    expect(c.pgliteDir).toMatch(/data[/\\]pglite$/);
    expect(c.blobDir).toMatch(/data[/\\]blobs$/);
  });
  test('with DATABASE_URL demo is off unless VANTHU_DEMO turns it on', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@h/db', VANTHU_DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ VANTHU_DEMO: 'false' }).demo).toBe(false);
  });
  test('every wrong variable is listed in one message', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://x' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/SMTP_URL/);
  });
});
