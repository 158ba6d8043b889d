import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/client.ts';
import { createTestDb } from '../../../test/db.ts';
import { makeDeps, nextAgencyCode } from '../../../test/factories.ts';
import { isSealedSecret } from '../../certificates/certificates.secrets.ts';
import { addSystem } from '../axis/axis.directory.ts';
import type { RunningAxis } from '../axis/axis.server.ts';
import { startTestAxis } from '../axis/axis.testing.ts';
import { closeAxisClients } from './connector.client.ts';
import { connectorTimings } from './connector.config.ts';
import { connectorRepo } from './connector.repository.ts';
import { findOpenEndpoint, sealClearEndpointSecrets } from './connector.secret.ts';
import { configureEndpointByCode, runConnectorOnce } from './connector.service.ts';
import { makeInstall, type Install } from './connector.testing.ts';

/**
 * The connector's copy of its axis secret (exchange_endpoint.secret) at rest: encrypted with the same
 * helper and key file as the seal's password and the axis's secrets; rows written in clear by an older
 * version are encrypted at start; a key file that cannot open it gives a clear error, not a silent failure.
 */
const handles: DatabaseHandle[] = [];
let axis: RunningAxis;
let install: Install;
const secret = 'connector-secret-42';
const timings = { ...connectorTimings({}), timeoutMs: 5000 };
const stored = async () => (await connectorRepo.findEndpoint(install.db, install.agency.id))?.secret ?? '';
/** One connector round with the directory sync: it authenticates with the axis only if the secret it sends is the right one. */
const round = (deps = install.deps) => runConnectorOnce(deps, timings, { agencyCode: install.agency.code, syncDirectory: true });

beforeAll(async () => {
  for (let i = 0; i < 2; i++) handles.push(await createTestDb());
  axis = await startTestAxis(handles[0] as DatabaseHandle);
  install = await makeInstall((handles[1] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Sở Xây dựng tỉnh Thử' });
  await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: install.agency.code, name: install.agency.name, secret, kind: 'agency' });
});
afterAll(async () => {
  closeAxisClients();
  await axis?.stop();
  for (const h of handles.slice(1)) await h.close();
});

describe("the connector's axis secret at rest", () => {
  test('configuring stores it encrypted under the 0600 key file of the data dir, and the connector still authenticates with the axis', async () => {
    await configureEndpointByCode(install.deps, { agencyCode: install.agency.code, endpoint: axis.endpoint, systemId: install.agency.code, secret, isEnabled: true });
    expect(isSealedSecret(await stored())).toBe(true);
    expect(await stored()).not.toContain(secret);
    expect((await stat(path.join(install.deps.config.dataDir, 'keys', 'secret.key'))).mode & 0o777).toBe(0o600);
    const report = await round();
    expect(report.errors).toEqual([]);
    expect(report.directory).toBeGreaterThan(0);
    expect((await findOpenEndpoint(install.deps, install.agency.id))?.secret).toBe(secret);
  });

  test('a secret stored in clear by an older version is encrypted at start, once, and still authenticates', async () => {
    await connectorRepo.upsertEndpoint(install.db, { agencyId: install.agency.id, endpoint: axis.endpoint, systemId: install.agency.code, secret, isEnabled: true });
    expect(await stored()).toBe(secret);
    expect(await sealClearEndpointSecrets({ db: install.db, dataDir: install.deps.config.dataDir })).toBe(1);
    const sealed = await stored();
    expect(isSealedSecret(sealed)).toBe(true);
    expect(await sealClearEndpointSecrets({ db: install.db, dataDir: install.deps.config.dataDir })).toBe(0);
    expect(await stored()).toBe(sealed);
    expect((await round()).errors).toEqual([]);
  });

  test('a server whose key file is not the one the secret was encrypted with says so: the round fails with exchange.secret_unreadable, shown as the endpoint error', async () => {
    const otherKey = await makeDeps(install.db, { demo: true });
    await expect(findOpenEndpoint(otherKey, install.agency.id)).rejects.toMatchObject({ code: 'exchange.secret_unreadable' });
    const report = await round(otherKey);
    expect(report.errors).toEqual([expect.stringContaining('Không giải mã được khóa bí mật kết nối trục')]);
    expect((await connectorRepo.findEndpoint(install.db, install.agency.id))?.lastError).toContain('quản trị cần nhập lại khóa bí mật');
  });

  test('a secret shaped like an encrypted value is refused, so a stored value is never ambiguous', async () => {
    const lookalike = `v1.${'A'.repeat(16)}.${'B'.repeat(22)}.CCCC`;
    await expect(configureEndpointByCode(install.deps, { agencyCode: install.agency.code, endpoint: axis.endpoint, systemId: install.agency.code, secret: lookalike, isEnabled: true }))
      .rejects.toMatchObject({ code: 'exchange.bad_secret' });
  });
});
