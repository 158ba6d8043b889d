import { createHash } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/client.ts';
import { createTestDb } from '../../../test/db.ts';
import { nextAgencyCode } from '../../../test/factories.ts';
import { addSystem } from '../axis/axis.directory.ts';
import type { RunningAxis } from '../axis/axis.server.ts';
import { startTestAxis } from '../axis/axis.testing.ts';
import { createAxisClient } from '../axis/axis.client.ts';
import { closeAxisClients } from './connector.client.ts';
import { connectorTimings } from './connector.config.ts';
import { configureEndpointByCode, listRefused, runConnectorOnce } from './connector.service.ts';
import { issueExternal, makeInstall, type Install } from './connector.testing.ts';

/**
 * A package the recipient can never fetch (its blob is corrupt on the axis: getEdoc answers blob.corrupt)
 * is tried again with backoff, never blocks the other packages, and after the last attempt becomes a
 * refused package with the reason that the recipient's clerk sees, audited once.
 */
const handles: DatabaseHandle[] = [];
let axis: RunningAxis;
let sender: Install;
let b: Install;
const secrets = { sender: 'sender-secret-777', b: 'recipient-b-secret-777' };
/** Backoff long enough that a second poll right away does not try the package again. */
const slow = { ...connectorTimings({}), retryBaseMs: 600_000, maxAttempts: 2, timeoutMs: 5000 };

async function join(install: Install, secret: string) {
  await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: install.agency.code, name: install.agency.name, secret, kind: 'agency' });
  await configureEndpointByCode(install.deps, { agencyCode: install.agency.code, endpoint: axis.endpoint, systemId: install.agency.code, secret, isEnabled: true });
}

const incomingWith = (subject: string) => b.db.selectFrom('incomingDocument').select('id').where('agencyId', '=', b.agency.id).where('subject', '=', subject).execute();
const attemptsAtB = () => b.db.selectFrom('exchangeReceiveAttempt').selectAll().where('agencyId', '=', b.agency.id).execute();
const refusalAudits = () => b.db.selectFrom('auditLog').select(['entityId', 'data']).where('type', '=', 'EXCHANGE_PACKAGE_REFUSED').execute();

beforeAll(async () => {
  for (let i = 0; i < 3; i++) handles.push(await createTestDb());
  axis = await startTestAxis(handles[0] as DatabaseHandle);
  sender = await makeInstall((handles[1] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Sở Nội vụ tỉnh Thử' });
  b = await makeInstall((handles[2] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Sở Tài chính tỉnh Thử' });
  await join(sender, secrets.sender);
  await join(b, secrets.b);
});
afterAll(async () => {
  closeAxisClients();
  await axis?.stop();
  for (const h of handles.slice(1)) await h.close();
});

describe('a received package that can never be fetched', () => {
  test('is tried again with backoff without blocking the others, then refused with the reason the clerk sees, audited once', async () => {
    const broken = 'V/v gói tin hỏng trên trục';
    const fine = 'V/v gói tin lành';
    await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }], broken);
    await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }], fine);
    await runConnectorOnce(sender.deps, slow);

    // Corrupt the stored bytes of the first package on the axis: getEdoc now answers blob.corrupt.
    const asB = createAxisClient({ endpoint: axis.endpoint, systemId: b.agency.code, secret: secrets.b });
    const listed = await asB.getReceivedEdocList('edoc');
    expect(listed).toHaveLength(2);
    let brokenDocId: string | undefined;
    for (const item of listed) {
      const bytes = Buffer.from(await asB.getEdoc(item.docId));
      if (!bytes.includes(Buffer.from(broken))) continue;
      brokenDocId = item.docId;
      const sha = createHash('sha256').update(bytes).digest('hex');
      const blob = path.join(axis.deps.config.blobDir, sha.slice(0, 2), sha.slice(2, 4), sha);
      await chmod(blob, 0o644);
      await writeFile(blob, Buffer.from(bytes.toString('utf8').replace(broken, 'V/v nội dung đã bị thay đổi'), 'utf8'));
    }
    expect(brokenDocId).toBeDefined();

    // First poll: the good package comes in; the broken one fails once and waits for its next attempt.
    await runConnectorOnce(b.deps, slow);
    expect(await incomingWith(fine)).toHaveLength(1);
    expect(await incomingWith(broken)).toHaveLength(0);
    const [first] = await attemptsAtB();
    expect(first).toMatchObject({ axisDocId: brokenDocId, attempts: 1 });
    expect(first?.lastError).toMatch(/hỏng|corrupt/i);
    expect(first?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 60_000);

    // Polls before the next attempt is due do not ask for it again.
    await runConnectorOnce(b.deps, slow);
    await runConnectorOnce(b.deps, slow);
    expect((await attemptsAtB())[0]?.attempts).toBe(1);
    expect(await listRefused({ db: b.db, actor: b.clerk.actor })).toHaveLength(0);

    // Its time comes (as after the backoff delay): the last attempt fails, the package is recorded as refused.
    await b.db.updateTable('exchangeReceiveAttempt').set({ nextAttemptAt: new Date(Date.now() - 1000) }).where('agencyId', '=', b.agency.id).execute();
    await runConnectorOnce(b.deps, slow);
    expect(await attemptsAtB()).toHaveLength(0);
    const refused = await listRefused({ db: b.db, actor: b.clerk.actor });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ axisDocId: brokenDocId, outcome: 'refused' });
    expect(refused[0]?.reason).toMatch(/^\[exchange\.package_unreadable\] Không nhận được gói tin sau 2 lần thử: /);

    // Acknowledged to the axis as failed (the axis keeps listing it, as any refused package): further
    // polls only acknowledge it again — no new attempt, no new audit.
    await runConnectorOnce(b.deps, slow);
    expect(await attemptsAtB()).toHaveLength(0);
    expect((await refusalAudits()).filter((a) => a.entityId === brokenDocId)).toHaveLength(1);
    asB.close();
  });
});
