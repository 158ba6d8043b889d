import { createHash } from 'node:crypto';
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
import { configureEndpointByCode, runConnectorOnce } from './connector.service.ts';
import { listRefused, refetchRefused } from './connector-refused.service.ts';
import { issueExternal, makeInstall, type Install } from './connector.testing.ts';

/**
 * A package the recipient cannot fetch (its stored body is gone from the axis: getEdoc fails) is tried
 * again with backoff, never blocks the other packages, and after the last attempt becomes a refused
 * package with the sender and the reason that the recipient's clerk sees, audited once. Once the axis
 * has it back, the clerk has it fetched again and it is taken in.
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

    // Take the stored body of the first package away from the axis store (kept, to put back later): getEdoc now fails.
    const asB = createAxisClient({ endpoint: axis.endpoint, systemId: b.agency.code, secret: secrets.b });
    const listed = await asB.getReceivedEdocList('edoc');
    expect(listed).toHaveLength(2);
    let brokenDocId: string | undefined;
    let removed: { sha256: string; bytes: Buffer } | undefined;
    for (const item of listed) {
      const bytes = Buffer.from(await asB.getEdoc(item.docId));
      if (!bytes.includes(Buffer.from(broken))) continue;
      brokenDocId = item.docId;
      removed = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
      await axis.deps.db.deleteFrom('axisBody').where('sha256', '=', removed.sha256).execute();
    }
    expect(brokenDocId).toBeDefined();

    // First poll: the good package comes in; the broken one fails once and waits for its next attempt.
    await runConnectorOnce(b.deps, slow);
    expect(await incomingWith(fine)).toHaveLength(1);
    expect(await incomingWith(broken)).toHaveLength(0);
    const [first] = await attemptsAtB();
    expect(first).toMatchObject({ axisDocId: brokenDocId, attempts: 1 });
    expect(first?.lastError).toMatch(/Không tìm thấy tệp|blob\.not_found/);
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
    expect(refused[0]).toMatchObject({
      axisDocId: brokenDocId, code: 'exchange.package_unreadable', senderCode: sender.agency.code, attempts: 2, canRefetch: true,
      message: expect.stringMatching(/^Không nhận được gói tin sau 2 lần thử: /),
    });

    // Acknowledged to the axis as failed (the axis keeps listing it, as any refused package): further
    // polls only acknowledge it again — no new attempt, no new audit.
    await runConnectorOnce(b.deps, slow);
    expect(await attemptsAtB()).toHaveLength(0);
    expect((await refusalAudits()).filter((a) => a.entityId === brokenDocId)).toHaveLength(1);

    // The axis has the body back (restored from its backup): the clerk has the package fetched again, and it comes in once.
    if (!removed) throw new Error('no body was removed');
    await axis.deps.db.insertInto('axisBody').values(removed).execute();
    const refusedId = refused[0]?.id ?? 0;
    await expect(refetchRefused({ db: b.db, actor: b.leader.actor, id: refusedId })).rejects.toMatchObject({ code: 'forbidden' });
    await refetchRefused({ db: b.db, actor: b.clerk.actor, id: refusedId });
    expect(await listRefused({ db: b.db, actor: b.clerk.actor })).toHaveLength(0);
    await runConnectorOnce(b.deps, slow);
    expect(await incomingWith(broken)).toHaveLength(1);
    await expect(refetchRefused({ db: b.db, actor: b.clerk.actor, id: refusedId })).rejects.toMatchObject({ code: 'exchange.refused_not_found' });
    asB.close();
  });
});
