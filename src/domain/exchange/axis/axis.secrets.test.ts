import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/client.ts';
import { createTestDb } from '../../../test/db.ts';
import { isSealedSecret } from '../../certificates/certificates.secrets.ts';
import { createAxisClient } from './axis.client.ts';
import { addSystem, SYSTEM_CACHE_MS } from './axis.directory.ts';
import { axisRepo } from './axis.repository.ts';
import { startAxisWith, type RunningAxis } from './axis.server.ts';
import { startTestAxis } from './axis.testing.ts';

/**
 * Axis secrets at rest: the HMAC check needs the secret itself, so it is stored encrypted (AES-256-GCM,
 * key file in the axis's data dir), and rows written in clear by an older axis are encrypted at start.
 */
let axis: RunningAxis;
const storedSecret = async (systemId: string) => (await axisRepo.findSystem(axis.deps.db, systemId))?.secret ?? '';
const canList = async (endpoint: string, systemId: string, secret: string) => {
  const client = createAxisClient({ endpoint, systemId, secret });
  try {
    return (await client.getAgenciesList()).length > 0;
  } finally {
    client.close();
  }
};

beforeAll(async () => {
  axis = await startTestAxis(await createTestDb());
});
afterAll(async () => {
  await axis.stop();
});

describe('axis secrets at rest', () => {
  test('a registered secret is stored encrypted under a 0600 key file, and the system authenticates with the clear secret', async () => {
    await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: '000.00.11.H53', name: 'Sở Khoa học', secret: 'khoa-hoc-secret-1', kind: 'agency' });
    const stored = await storedSecret('000.00.11.H53');
    expect(isSealedSecret(stored)).toBe(true);
    expect(stored).not.toContain('khoa-hoc-secret-1');
    expect((await stat(path.join(axis.deps.config.dataDir, 'keys', 'secret.key'))).mode & 0o777).toBe(0o600);
    expect(await canList(axis.endpoint, '000.00.11.H53', 'khoa-hoc-secret-1')).toBe(true);
    await expect(canList(axis.endpoint, '000.00.11.H53', 'khoa-hoc-secret-2')).rejects.toThrow();
  });

  test('a secret stored in clear by an older axis is encrypted when the axis starts, and still authenticates', async () => {
    await axisRepo.insertSystem(axis.deps.db, { systemId: '000.00.12.H53', name: 'Sở Cũ', secret: 'clear-secret-old', kind: 'axis' });
    expect(await storedSecret('000.00.12.H53')).toBe('clear-secret-old');
    const restarted = await startAxisWith(axis.deps, async () => undefined, { port: 0, autoStart: false });
    try {
      expect(isSealedSecret(await storedSecret('000.00.12.H53'))).toBe(true);
      expect(await canList(restarted.endpoint, '000.00.12.H53', 'clear-secret-old')).toBe(true);
      expect(await canList(axis.endpoint, '000.00.12.H53', 'clear-secret-old')).toBe(true);
    } finally {
      await restarted.stop();
    }
  });

  test('an axis started with another key file cannot read the secrets: requests are refused with a clear error, nothing is authenticated', async () => {
    const otherKey = await startTestAxis({ db: axis.deps.db, close: async () => undefined } as unknown as DatabaseHandle);
    try {
      await expect(canList(otherKey.endpoint, '000.00.11.H53', 'khoa-hoc-secret-1')).rejects.toMatchObject({ code: 'axis.remote_error', message: expect.stringContaining('không giải mã được khóa bí mật') });
    } finally {
      await otherKey.stop();
    }
  });

  test('a system removed by another process (its row deactivated behind this axis\'s back) is refused once the cache window has passed', async () => {
    await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: '000.00.14.H53', name: 'Sở Y tế', secret: 'y-te-secret-01', kind: 'agency' });
    expect(await canList(axis.endpoint, '000.00.14.H53', 'y-te-secret-01')).toBe(true);
    await axisRepo.setSystemActive(axis.deps.db, '000.00.14.H53', false);
    await new Promise((resolve) => setTimeout(resolve, SYSTEM_CACHE_MS + 50));
    await expect(canList(axis.endpoint, '000.00.14.H53', 'y-te-secret-01')).rejects.toMatchObject({ details: { code: 'axis.unknown_system' } });
  });

  test('a secret that looks like an encrypted one is refused, so a stored value is never ambiguous', async () => {
    const lookalike = `v1.${'A'.repeat(16)}.${'B'.repeat(22)}.CCCC`;
    await expect(addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: '000.00.13.H53', name: 'x', secret: lookalike, kind: 'agency' }))
      .rejects.toMatchObject({ code: 'axis.bad_secret' });
  });
});
