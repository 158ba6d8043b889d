import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/client.ts';
import { createTestDb } from '../../../test/db.ts';
import { nextAgencyCode } from '../../../test/factories.ts';
import { refuseIncoming, registerIncoming } from '../../incoming/incoming.service.ts';
import { ZRegisterIncomingBody } from '../../incoming/incoming.schemas.ts';
import { recallOutgoing } from '../../outgoing/outgoing-recall.service.ts';
import { outgoingRepo } from '../../outgoing/outgoing.repository.ts';
import { outgoingDetail } from '../../outgoing/outgoing.present.ts';
import { addSystem } from '../axis/axis.directory.ts';
import type { RunningAxis } from '../axis/axis.server.ts';
import { startTestAxis } from '../axis/axis.testing.ts';
import { axisClientFor, closeAxisClients } from './connector.client.ts';
import { takeInPackage } from './connector.accept.ts';
import { makePackage } from '../axis/axis.testing.ts';
import { makeTestSigner } from '../edxml/edxml.testing.ts';
import { connectorTimings } from './connector.config.ts';
import { answerRequest, listRequests, sendUpdate } from './connector-requests.service.ts';
import { runConnectorOnce } from './connector.service.ts';
import { listOutbox, retryOutbox } from './connector-outbox.service.ts';
import { findOpenEndpoint } from './connector.secret.ts';
import { issueExternal, joinAxis, makeInstall, type Install } from './connector.testing.ts';
import { createAxisClient } from '../axis/axis.client.ts';
import { printedNumber } from '../../registers/document-types.ts';
import { parseEdxml } from '../edxml/edxml.parse.ts';

/**
 * The connector against a real axis (SDK protocol over HTTP) with three installs on three databases:
 * a sender and two recipients. Each round is run explicitly (runConnectorOnce), as the tick job does.
 */
const timings = { ...connectorTimings({}), retryBaseMs: 10, maxAttempts: 2, timeoutMs: 5000 };
const handles: DatabaseHandle[] = [];
let axis: RunningAxis;
let sender: Install;
let b: Install;
let c: Install;

const join = (install: Install, secret: string) => joinAxis(axis, install, secret);

/** Runs rounds on every install until nothing moves any more. */
async function settle(rounds = 4) {
  for (let i = 0; i < rounds; i++) {
    for (const install of [sender, b, c]) await runConnectorOnce(install.deps, timings);
  }
}

const recipientsOf = async (install: Install, id: string) => Object.fromEntries((await outgoingRepo.listRecipients(install.db, id)).map((r) => [r.agencyCode, r]));
const incomingOf = (install: Install, documentIdLike: string) =>
  install.db.selectFrom('incomingDocument').selectAll().where('agencyId', '=', install.agency.id).where('externalDocumentId', 'like', `%${documentIdLike}`).orderBy('createdAt', 'desc').execute();

beforeAll(async () => {
  for (let i = 0; i < 4; i++) handles.push(await createTestDb());
  axis = await startTestAxis(handles[0] as DatabaseHandle);
  sender = await makeInstall((handles[1] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Sở Nội vụ tỉnh Thử' });
  b = await makeInstall((handles[2] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Sở Tài chính tỉnh Thử' });
  c = await makeInstall((handles[3] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Sở Y tế tỉnh Thử' });
  await join(sender, 'sender-secret-123');
  await join(b, 'recipient-b-secret');
  await join(c, 'recipient-c-secret');
});
afterAll(async () => {
  closeAxisClients();
  await axis?.stop();
  for (const h of handles.slice(1)) await h.close();
});

describe('exchange connector with a real axis', () => {
  test('a document to two recipients arrives at both as incoming documents and every status comes back to the sender', async () => {
    const doc = await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }, { code: c.agency.code, name: c.agency.name }]);
    await settle(3);
    const notation = `${doc.number}/${doc.notation}`;
    const [atB] = await incomingOf(b, notation);
    const [atC] = await incomingOf(c, notation);
    expect(atB).toMatchObject({ source: 'external', status: 'received', issuerCode: sender.agency.code, notation: doc.notation });
    expect(atC).toMatchObject({ source: 'external', status: 'received' });
    expect((await recipientsOf(sender, doc.id))[b.agency.code]).toMatchObject({ statusCode: '01' });
    expect((await recipientsOf(sender, doc.id))[c.agency.code]).toMatchObject({ statusCode: '01' });
    const files = await b.db.selectFrom('documentFile').select(['sha256', 'contentType']).where('ownerId', '=', atB?.id ?? '').execute();
    expect(files).toHaveLength(1);
    expect(Buffer.from(await b.deps.blobs.get(files[0]?.sha256 ?? '')).subarray(0, 5).toString()).toBe('%PDF-');

    await registerIncoming({ db: b.db, actor: b.clerk.actor, id: atB?.id ?? '', body: ZRegisterIncomingBody.parse({ issuerName: sender.agency.name, issuerCode: atB?.issuerCode, number: atB?.number, notation: atB?.notation, documentDate: atB?.documentDate, typeCode: 'cong_van', subject: atB?.subject }) });
    await refuseIncoming({ db: c.db, actor: c.clerk.actor, id: atC?.id ?? '', reason: 'Gửi nhầm cơ quan' });
    await settle(2);
    const recipients = await recipientsOf(sender, doc.id);
    expect(recipients[b.agency.code]).toMatchObject({ statusCode: '03' });
    expect(recipients[c.agency.code]).toMatchObject({ statusCode: '02' });
    const events = await outgoingRepo.listRecipientEvents(sender.db, doc.id);
    expect(events.map((e) => e.code).sort()).toEqual(['01', '01', '02', '03']);
    expect(await listOutbox({ db: sender.db, actor: sender.clerk.actor, limit: 50, offset: 0 })).toEqual(expect.arrayContaining([expect.objectContaining({ outgoingId: doc.id, status: 'sent' })]));
  });

  test('a recall agreed by one recipient and refused by the other: 15 and 16 come back; the agreed one leaves the active lists', async () => {
    const doc = await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }, { code: c.agency.code, name: c.agency.name }], 'V/v văn bản sẽ bị thu hồi');
    await settle(2);
    await recallOutgoing({ db: sender.db, actor: sender.clerk.actor, id: doc.id, reason: 'Ban hành sai thẩm quyền' });
    await settle(2);
    const [reqB] = await listRequests({ db: b.db, actor: b.clerk.actor, status: 'pending' });
    const [reqC] = await listRequests({ db: c.db, actor: c.clerk.actor, status: 'pending' });
    expect(reqB).toMatchObject({ kind: 'recall', reason: 'Ban hành sai thẩm quyền', senderCode: sender.agency.code });
    await answerRequest({ db: b.db, actor: b.clerk.actor, id: reqB?.id ?? '', agree: true, note: '' });
    await answerRequest({ db: c.db, actor: c.clerk.actor, id: reqC?.id ?? '', agree: false, note: 'Đã phân công xử lý' });
    await expect(answerRequest({ db: c.db, actor: c.clerk.actor, id: reqC?.id ?? '', agree: true, note: '' })).rejects.toMatchObject({ code: 'incoming.request_answered' });
    await settle(2);
    const recipients = await recipientsOf(sender, doc.id);
    expect(recipients[b.agency.code]).toMatchObject({ recallCode: '15', statusCode: '01' });
    expect(recipients[c.agency.code]).toMatchObject({ recallCode: '16' });
    const notation = `${doc.number}/${doc.notation}`;
    expect((await incomingOf(b, notation))[0]).toMatchObject({ status: 'recalled' });
    expect((await incomingOf(c, notation))[0]).toMatchObject({ status: 'received' });
  });

  test('an update reaches the recipient as a request; agreeing changes the subject and deadline and answers 15', async () => {
    const doc = await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }], 'V/v trích yếu cũ');
    await settle(2);
    await sendUpdate({ db: sender.db, actor: sender.clerk.actor, outgoingId: doc.id, reason: 'Sửa trích yếu và hạn', subject: 'V/v trích yếu mới', dueDate: '2026-12-31' });
    await settle(2);
    const [req] = await listRequests({ db: b.db, actor: b.clerk.actor, status: 'pending' });
    expect(req).toMatchObject({ kind: 'update', reason: 'Sửa trích yếu và hạn' });
    await answerRequest({ db: b.db, actor: b.clerk.actor, id: req?.id ?? '', agree: true, note: '' });
    await settle(2);
    expect((await incomingOf(b, `${doc.number}/${doc.notation}`))[0]).toMatchObject({ subject: 'V/v trích yếu mới', dueDate: '2026-12-31' });
    expect((await recipientsOf(sender, doc.id))[b.agency.code]).toMatchObject({ recallCode: '15' });
  });

  test('an update to two recipients through the axis: both are asked (13) when it is sent; one agrees and the sender sees 1 of 2 agreed, the other not answered since the update', async () => {
    const doc = await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }, { code: c.agency.code, name: c.agency.name }], 'V/v cập nhật gửi hai nơi');
    await settle(2);
    const before = Date.now();
    expect(await sendUpdate({ db: sender.db, actor: sender.clerk.actor, outgoingId: doc.id, reason: 'Lùi hạn báo cáo', dueDate: '2026-12-31' })).toEqual({ recipients: 2 });
    const page = () => outgoingDetail({ db: sender.db, actor: sender.clerk.actor, id: doc.id });
    // asked of both in the transaction that wrote the two packages, before anything went through the axis
    expect((await page()).data.recipientCounts).toMatchObject({ total: 2, agreed: 0, disagreed: 0, awaiting: 2 });
    await settle(2);
    const [reqB] = (await listRequests({ db: b.db, actor: b.clerk.actor, status: 'pending' })).filter((r) => r.document.subject === 'V/v cập nhật gửi hai nơi');
    expect((await listRequests({ db: c.db, actor: c.clerk.actor, status: 'pending' })).filter((r) => r.document.subject === 'V/v cập nhật gửi hai nơi')).toHaveLength(1);
    await answerRequest({ db: b.db, actor: b.clerk.actor, id: reqB?.id ?? '', agree: true, note: 'Đã sửa hạn' });
    await settle(2);
    const { data } = await page();
    expect(data.recipientCounts).toMatchObject({ total: 2, agreed: 1, disagreed: 0, awaiting: 1 });
    const byCode = Object.fromEntries(data.recipients.map((r) => [r.agencyCode, r]));
    expect(byCode[b.agency.code]).toMatchObject({ recallCode: '15', recallLabel: '15 · Đồng ý cập nhật' });
    expect(byCode[c.agency.code]).toMatchObject({ recallCode: '13', recallLabel: '13 · Đã đề nghị cập nhật' });
    expect(new Date(byCode[c.agency.code]?.recallAt ?? 0).getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  test('a recipient unknown to the axis: the send is retried, then fails with a reason the clerk sees', async () => {
    const doc = await issueExternal(sender, [{ code: '000.00.77.Z77', name: 'Cơ quan không có trên trục' }]);
    await runConnectorOnce(sender.deps, timings);
    let [row] = (await listOutbox({ db: sender.db, actor: sender.clerk.actor, limit: 50, offset: 0 })).filter((r) => r.outgoingId === doc.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.lastError).toContain('sẽ thử lại');
    await new Promise((r) => setTimeout(r, 50));
    await runConnectorOnce(sender.deps, timings);
    [row] = (await listOutbox({ db: sender.db, actor: sender.clerk.actor, status: 'failed', limit: 50, offset: 0 })).filter((r) => r.outgoingId === doc.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row?.lastError).toContain('axis.remote_error');
  });
  test('a send the axis took while our side saw it fail is marked sent when the recipient answers, not left to retry', async () => {
    const doc = await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }]);
    await runConnectorOnce(sender.deps, timings);
    // As if the axis's answer had timed out: the row is back to pending with an error and a retry far ahead.
    await sender.db.updateTable('exchangeOutbox').set({ status: 'pending', lastError: 'Không kết nối được tới trục liên thông: timeout (sẽ thử lại)', nextAttemptAt: new Date(Date.now() + 3_600_000) })
      .where('outgoingId', '=', doc.id).execute();
    await runConnectorOnce(b.deps, timings);
    await runConnectorOnce(sender.deps, timings);
    expect((await recipientsOf(sender, doc.id))[b.agency.code]).toMatchObject({ statusCode: '01' });
    const [row] = (await listOutbox({ db: sender.db, actor: sender.clerk.actor, limit: 50, offset: 0 })).filter((r) => r.outgoingId === doc.id);
    expect(row).toMatchObject({ status: 'sent', lastError: null });
  });

  test('a package for two recipients, one unknown to the axis: the axis accepts it, and that recipient\'s row fails with the axis\'s reason', async () => {
    const unknown = '000.00.78.Z78';
    const doc = await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }, { code: unknown, name: 'Cơ quan không có trên trục' }], 'V/v gửi hai nơi, một nơi không có trên trục');
    await runConnectorOnce(sender.deps, timings);
    const rows = (await listOutbox({ db: sender.db, actor: sender.clerk.actor, limit: 50, offset: 0 })).filter((r) => r.outgoingId === doc.id);
    const byCode = Object.fromEntries(rows.map((r) => [r.recipientAgencyCode, r]));
    expect(byCode[b.agency.code]).toMatchObject({ status: 'sent' });
    expect(byCode[unknown]).toMatchObject({ status: 'failed' });
    expect(byCode[unknown]?.lastError).toMatch(new RegExp(`^\\[axis\\.undeliverable\\] Trục đã nhận gói tin nhưng không chuyển được tới ${unknown.replaceAll('.', '\\.')}: Không tìm thấy cơ quan nhận`));
    await settle(2);
    expect(await incomingOf(b, `${doc.number}/${doc.notation}`)).toHaveLength(1);
    expect((await recipientsOf(sender, doc.id))[b.agency.code]).toMatchObject({ statusCode: '01' });
    // Later rounds change nothing: the failed row stays failed, the delivered one sent.
    await runConnectorOnce(sender.deps, timings);
    const again = (await listOutbox({ db: sender.db, actor: sender.clerk.actor, limit: 50, offset: 0 })).filter((r) => r.outgoingId === doc.id);
    expect(Object.fromEntries(again.map((r) => [r.recipientAgencyCode, r.status]))).toEqual({ [b.agency.code]: 'sent', [unknown]: 'failed' });

    // Sent again while the axis still does not know the agency: refused (no recipient it can reach), failed again after the attempts.
    await retryOutbox({ db: sender.db, actor: sender.clerk.actor, id: byCode[unknown]?.id ?? '' });
    await runConnectorOnce(sender.deps, timings);
    await new Promise((r) => setTimeout(r, 50));
    await runConnectorOnce(sender.deps, timings);
    const stillUnknown = (await listOutbox({ db: sender.db, actor: sender.clerk.actor, status: 'failed', limit: 50, offset: 0 })).filter((r) => r.outgoingId === doc.id);
    expect(stillUnknown).toEqual([expect.objectContaining({ recipientAgencyCode: unknown, errorCode: 'axis.remote_error', errorMessage: expect.stringContaining('không có cơ quan nhận nào mà trục chuyển tới được') })]);

    // The agency joins the axis; the clerk sends the failed row again: it gets the package, b no second copy.
    await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: unknown, name: 'Cơ quan mới trên trục', secret: 'late-secret-123', kind: 'agency' });
    await retryOutbox({ db: sender.db, actor: sender.clerk.actor, id: byCode[unknown]?.id ?? '' });
    await runConnectorOnce(sender.deps, timings);
    const retried = (await listOutbox({ db: sender.db, actor: sender.clerk.actor, limit: 50, offset: 0 })).filter((r) => r.outgoingId === doc.id);
    expect(Object.fromEntries(retried.map((r) => [r.recipientAgencyCode, r.status]))).toEqual({ [b.agency.code]: 'sent', [unknown]: 'sent' });
    const late = createAxisClient({ endpoint: axis.endpoint, systemId: unknown, secret: 'late-secret-123' });
    expect((await late.getReceivedEdocList('edoc')).map((r) => r.docId)).toEqual([byCode[b.agency.code]?.axisDocId]);
    await settle(2);
    expect(await incomingOf(b, `${doc.number}/${doc.notation}`)).toHaveLength(1);
  });
  test('a tampered, a forged and a replayed package are refused or ignored, and logged', async () => {
    const doc = await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }], 'V/v gói tin gốc để thử giả mạo');
    await runConnectorOnce(sender.deps, timings);
    const endpoint = await findOpenEndpoint(b.deps, b.agency.id);
    if (!endpoint) throw new Error('B has no endpoint');
    const client = axisClientFor(endpoint, 5000);
    const listed = await client.getReceivedEdocList('edoc');
    expect(listed).toHaveLength(1);
    const original = await client.getEdoc(listed[0]?.docId ?? '');
    const take = (bytes: Uint8Array, axisDocId: string) => takeInPackage(b.deps, { agencyId: b.agency.id, agencyCode: b.agency.code, axisDocId, messageType: 'edoc', bytes });

    const tampered = Buffer.from(Buffer.from(original).toString('utf8').replace('V/v gói tin gốc', 'V/v gói tin SỬA'), 'utf8');
    await expect(take(tampered, 'tampered-1')).resolves.toMatchObject({ outcome: 'refused' });
    await settle(1);
    const notation = `${doc.number}/${doc.notation}`;
    expect(await incomingOf(b, notation)).toHaveLength(1);
    await expect(take(original, 'replayed-1')).resolves.toMatchObject({ outcome: 'duplicate' });
    const forged = await makePackage({ from: sender.agency.code, to: [b.agency.code], signer: makeTestSigner('rsa') });
    const result = await take(forged, 'forged-1');
    expect(result).toMatchObject({ outcome: 'refused' });
    expect(result.reason).toContain('giả mạo');
    expect(await incomingOf(b, notation)).toHaveLength(1);
    const log = await b.db.selectFrom('exchangeReceived').select(['axisDocId', 'outcome', 'reason']).where('agencyId', '=', b.agency.id).where('axisDocId', 'in', ['tampered-1', 'replayed-1', 'forged-1']).orderBy('id').execute();
    expect(log.map((r) => [r.axisDocId, r.outcome])).toEqual([['tampered-1', 'refused'], ['replayed-1', 'duplicate'], ['forged-1', 'refused']]);
    const audits = await b.db.selectFrom('auditLog').select(['entityId']).where('type', '=', 'EXCHANGE_PACKAGE_REFUSED').execute();
    expect(audits.map((a) => a.entityId).sort()).toEqual(['forged-1', 'tampered-1']);
  });
});

describe('a reply refers back to the document it answers', () => {
  test('an outgoing reply linked by its handler carries ResponseFor with the original DocumentId', async () => {
    const original = await issueExternal(sender, [{ code: b.agency.code, name: b.agency.name }], 'V/v đề nghị báo cáo số liệu');
    await settle(2);
    const [received] = await incomingOf(b, `${original.number}/${original.notation}`);
    expect(received?.externalDocumentId).toBeTruthy();
    const reply = await issueExternal(b, [{ code: sender.agency.code, name: sender.agency.name }], 'V/v báo cáo số liệu theo đề nghị');
    // The handler links the reply in a progress note (what the incoming UI's "link the reply" action writes).
    await b.db.insertInto('incomingProgress').values({ incomingId: received?.id ?? '', authorId: b.staff.user.id, kind: 'result', text: 'Đã trả lời', responseOutgoingId: reply.id }).execute();
    await runConnectorOnce(b.deps, timings);
    const client = createAxisClient({ endpoint: axis.endpoint, systemId: sender.agency.code, secret: 'sender-secret-123' });
    const waiting = await client.getReceivedEdocList('edoc');
    const packages = await Promise.all(waiting.map(async (item) => (await parseEdxml(Buffer.from(await client.getEdoc(item.docId)), { attachmentSink: 'discard' })).header));
    const headers = packages.map((h) => h.messageHeader as { subject?: string; responseFor?: unknown });
    const fromB = headers.find((m) => m.subject === 'V/v báo cáo số liệu theo đề nghị');
    expect(fromB?.responseFor).toEqual([expect.objectContaining({ organId: sender.agency.code, documentId: received?.externalDocumentId, code: `${printedNumber(original.number)}/${original.notation}` })]);
    // the Code as the original's paper prints its số (below 10 with a 0: «02/…»); the DocumentId as it was sent
  });
});
