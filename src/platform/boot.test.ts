import { describe, expect, test } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { boot } from './boot.ts';
import { loadConfig } from './config.ts';

const configFor = (dataDir: string) => loadConfig({ DATA_DIR: dataDir, DATABASE_URL: '', VANTHU_DEMO: 'false', LOG_LEVEL: 'silent' });

describe('opening the embedded database', () => {
  test('a damaged database directory stops the start with db.open_failed, which says not to delete it and how to restore, not with a WebAssembly trace', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-boot-'));
    const first = await boot({ config: configFor(dataDir), migrate: false });
    await first.close();
    await writeFile(path.join(dataDir, 'pglite', 'global', 'pg_control'), Buffer.alloc(8192, 0x5a));
    const error = await boot({ config: configFor(dataDir), migrate: false }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'db.open_failed' });
    expect((error as Error).message).toContain('vanthu backup restore');
    expect((error as Error).message).toContain(path.join(dataDir, 'pglite'));
  });

  test('a database the same process already holds open is refused with db.in_use, and opens again once closed', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'vanthu-boot-'));
    const first = await boot({ config: configFor(dataDir), migrate: false });
    await expect(boot({ config: configFor(dataDir), migrate: false })).rejects.toMatchObject({ code: 'db.in_use', details: { pid: process.pid } });
    await first.close();
    const again = await boot({ config: configFor(dataDir), migrate: false });
    await again.close();
  });
});
