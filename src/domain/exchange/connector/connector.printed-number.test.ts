import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/client.ts';
import { createTestDb } from '../../../test/db.ts';
import { nextAgencyCode } from '../../../test/factories.ts';
import { recallOutgoing } from '../../outgoing/outgoing-recall.service.ts';
import { outgoingRepo } from '../../outgoing/outgoing.repository.ts';
import { resolveRegister, vietnamYear } from '../../registers/registers.service.ts';
import { createAxisClient } from '../axis/axis.client.ts';
import type { RunningAxis } from '../axis/axis.server.ts';
import { startTestAxis } from '../axis/axis.testing.ts';
import { buildEdxml } from '../edxml/edxml.build.ts';
import { formatEdxmlDate, formatEdxmlTimestamp } from '../edxml/edxml.format.ts';
import { parseEdxml } from '../edxml/edxml.parse.ts';
import type { TEdxmlHeader } from '../edxml/edxml.schemas.ts';
import { closeAxisClients } from './connector.client.ts';
import { takeInPackage } from './connector.accept.ts';
import { connectorTimings } from './connector.config.ts';
import { listOutbox, retryOutbox } from './connector-outbox.service.ts';
import { answerRequest, listRequests, sendUpdate } from './connector-requests.service.ts';
import { sealSigner } from './connector.packages.ts';
import { runConnectorOnce } from './connector.service.ts';
import { issueTo, joinAxis, makeInstall, type Install } from './connector.testing.ts';

/**
 * The số goes out as the document prints it (ND 30 Phụ lục I: «02/…» for 2): CodeNumber and the DocumentId of
 * a new document; a document sent before, with the integer («…,2/…»), keeps the DocumentId its recipients
 * took it in with for its recall, update, replacement and re-send, and its statuses still find it.
 * A real axis and three databases: the sender (with a second agency on its install), B and C.
 */
const timings = { ...connectorTimings({}), retryBaseMs: 10, maxAttempts: 2, timeoutMs: 5000 };
const handles: DatabaseHandle[] = [];
const secrets = new Map<string, string>();
let axis: RunningAxis;
let sender: Install;
let local: Install;
let b: Install;
let c: Install;

async function join(install: Install, secret: string) {
  secrets.set(install.agency.code, secret);
  await joinAxis(axis, install, secret);
}

async function settle(rounds = 3) {
  for (let i = 0; i < rounds; i++) for (const install of [sender, b, c]) await runConnectorOnce(install.deps, timings);
}

/** The sender's Công văn register gives `n` to the next document it issues. */
async function numberNextAs(n: number) {
  const register = await resolveRegister(sender.db, { agencyId: sender.agency.id, kind: 'outgoing', isSecret: false, typeCode: 'cong_van' });
  const year = vietnamYear(new Date());
  await sender.db.insertInto('registerCounter').values({ registerId: register.id, year, lastNumber: n - 1 })
    .onConflict((oc) => oc.columns(['registerId', 'year']).doUpdateSet({ lastNumber: n - 1 })).execute();
}

const toExternal = (...installs: Install[]) => installs.map((i) => ({ kind: 'external' as const, agencyCode: i.agency.code, name: i.agency.name }));

/** The headers of the document packages waiting on the axis for `install` (read as its system, not taken). */
async function waitingFor(install: Install): Promise<TEdxmlHeader[]> {
  const client = createAxisClient({ endpoint: axis.endpoint, systemId: install.agency.code, secret: secrets.get(install.agency.code) ?? '' });
  const items = await client.getReceivedEdocList('edoc');
  return Promise.all(items.map(async (item) => (await parseEdxml(Buffer.from(await client.getEdoc(item.docId)), { attachmentSink: 'discard' })).header as TEdxmlHeader));
}

const incomingAt = (install: Install, subject: string) =>
  install.db.selectFrom('incomingDocument').selectAll().where('agencyId', '=', install.agency.id).where('subject', '=', subject).orderBy('createdAt').execute();
const recipientsOf = async (id: string) => Object.fromEntries((await outgoingRepo.listRecipients(sender.db, id)).map((r) => [r.agencyCode, r]));
const sentDocumentIds = async (outgoingId: string) =>
  (await sender.db.selectFrom('exchangeDocument').select('documentId').where('outgoingId', '=', outgoingId).execute()).map((r) => r.documentId);

/**
 * Issues a document numbered `n` to B and C as the sender did before the số went out as printed: the
 * DocumentId it remembered (and sent) carried the integer, «…,n/ký hiệu».
 */
async function issueSentBefore(n: number, subject: string, to: Install[] = [b, c]) {
  await numberNextAs(n);
  const doc = await issueTo(sender, toExternal(...to), subject);
  const { issuedAt } = await sender.db.selectFrom('outgoingDocument').select('issuedAt').where('id', '=', doc.id).executeTakeFirstOrThrow();
  const oldId = `${sender.agency.code},${formatEdxmlDate(issuedAt ?? new Date())},${n}/${doc.notation}`;
  await sender.db.insertInto('exchangeDocument').values({ agencyId: sender.agency.id, documentId: oldId, outgoingId: doc.id }).execute();
  await settle();
  return { ...doc, oldId };
}

beforeAll(async () => {
  for (let i = 0; i < 4; i++) handles.push(await createTestDb());
  axis = await startTestAxis(handles[0] as DatabaseHandle);
  sender = await makeInstall((handles[1] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Ủy ban nhân dân huyện Thử' });
  local = await makeInstall(sender.db, { code: nextAgencyCode(), name: 'Phòng Nội vụ huyện Thử', deps: sender.deps });
  b = await makeInstall((handles[2] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Sở Tài chính tỉnh Thử' });
  c = await makeInstall((handles[3] as DatabaseHandle).db, { code: nextAgencyCode(), name: 'Sở Y tế tỉnh Thử' });
  await join(sender, 'sender-secret-printed');
  await join(b, 'recipient-b-printed');
  await join(c, 'recipient-c-printed');
});
afterAll(async () => {
  closeAxisClients();
  await axis?.stop();
  for (const h of handles.slice(1)) await h.close();
});

describe('the số goes out as the document prints it', () => {
  test('a new document numbered 2 goes out with CodeNumber «02» and DocumentId «…,02/…»; B and an agency on the same install register 02, and the 01 finds it', async () => {
    await numberNextAs(2);
    const subject = 'V/v số 2 in là 02';
    const doc = await issueTo(sender, [...toExternal(b), { kind: 'agency', agencyId: local.agency.id }], subject);
    expect(doc.number).toBe(2);
    await runConnectorOnce(sender.deps, timings);
    const [header] = (await waitingFor(b)).filter((h) => h.messageHeader.subject === subject);
    const documentId = `${sender.agency.code},${header?.messageHeader.promulgationInfo.promulgationDate},02/${doc.notation}`;
    expect(header?.messageHeader.code).toEqual({ codeNumber: '02', codeNotation: doc.notation });
    expect(header?.messageHeader.documentId).toBe(documentId);
    expect(await sentDocumentIds(doc.id)).toEqual([documentId]);
    await settle();
    expect(await incomingAt(b, subject)).toEqual([expect.objectContaining({ number: '02', notation: doc.notation, externalDocumentId: documentId })]);
    expect(await incomingAt(local, subject)).toEqual([expect.objectContaining({ number: '02', notation: doc.notation, source: 'internal' })]);
    const recipients = await recipientsOf(doc.id);
    expect(recipients[b.agency.code]).toMatchObject({ statusCode: '01' });
    expect(recipients[local.agency.code]).toMatchObject({ statusCode: '01' });
  });

  test('a document numbered 12 goes out as 12: CodeNumber «12», DocumentId «…,12/…»', async () => {
    await numberNextAs(12);
    const subject = 'V/v số 12 giữ nguyên';
    const doc = await issueTo(sender, toExternal(b), subject);
    await runConnectorOnce(sender.deps, timings);
    const [header] = (await waitingFor(b)).filter((h) => h.messageHeader.subject === subject);
    expect(header?.messageHeader.code.codeNumber).toBe('12');
    expect(header?.messageHeader.documentId).toBe(`${sender.agency.code},${header?.messageHeader.promulgationInfo.promulgationDate},12/${doc.notation}`);
    await settle();
    expect(await incomingAt(b, subject)).toEqual([expect.objectContaining({ number: '12', externalDocumentId: header?.messageHeader.documentId })]);
  });

  test('its outbox rows no longer carry codeNumber (the integer) nor codeNotation; a row stored before with both goes out as the document prints its số and ký hiệu all the same, and so does its recall', async () => {
    await numberNextAs(8);
    const subject = 'V/v hàng đợi lưu từ trước';
    const doc = await issueTo(sender, toExternal(b), subject);
    /**
     * The document's outbox row of a kind, after checking it holds neither, made as a row stored before holds them: «8», and a
     * ký hiệu the builder must not take (it reads the document's own).
     */
    const storedBefore = async (businessDocType: number) => {
      const row = await sender.db.selectFrom('exchangeOutbox').select(['id', 'payload']).where('outgoingId', '=', doc.id).where('businessDocType', '=', businessDocType).executeTakeFirstOrThrow();
      expect(row.payload).not.toHaveProperty('codeNumber');
      expect(row.payload).not.toHaveProperty('codeNotation');
      await sender.db.updateTable('exchangeOutbox').set({ payload: JSON.stringify({ ...(row.payload as object), codeNumber: '8', codeNotation: 'KH-LUU-TRUOC' }) }).where('id', '=', row.id).execute();
    };
    await storedBefore(0);
    await runConnectorOnce(sender.deps, timings);
    const [header] = (await waitingFor(b)).filter((h) => h.messageHeader.subject === subject);
    expect(header?.messageHeader.code).toEqual({ codeNumber: '08', codeNotation: doc.notation });
    await settle();

    await recallOutgoing({ db: sender.db, actor: sender.clerk.actor, id: doc.id, reason: 'Ban hành nhầm' });
    await storedBefore(1);
    await runConnectorOnce(sender.deps, timings);
    const [recall] = (await waitingFor(b)).filter((h) => h.traceHeaderList.bussiness?.bussinessDocType === 1 && h.messageHeader.subject === subject);
    expect([recall?.messageHeader.code, recall?.messageHeader.documentId]).toEqual([{ codeNumber: '08', codeNotation: doc.notation }, header?.messageHeader.documentId]);
  });
});

describe('a document sent before, with the integer in its DocumentId', () => {
  test('its recall names it «…,3/…» as B took it in: B gets the request, agrees, and the 15 finds the document', async () => {
    const subject = 'V/v văn bản gửi trước, thu hồi';
    const doc = await issueSentBefore(3, subject, [b]);
    const [atB] = await incomingAt(b, subject);
    expect(atB).toMatchObject({ number: '03', externalDocumentId: doc.oldId });
    expect((await recipientsOf(doc.id))[b.agency.code]).toMatchObject({ statusCode: '01' });

    await recallOutgoing({ db: sender.db, actor: sender.clerk.actor, id: doc.id, reason: 'Ban hành nhầm' });
    await runConnectorOnce(sender.deps, timings);
    const [recall] = (await waitingFor(b)).filter((h) => h.traceHeaderList.bussiness?.bussinessDocType === 1 && h.messageHeader.subject === subject);
    expect(recall?.messageHeader.documentId).toBe(doc.oldId);
    expect(recall?.traceHeaderList.bussiness?.documentId).toBe(doc.oldId);
    expect(recall?.messageHeader.code.codeNumber).toBe('03');
    await settle();
    const [request] = (await listRequests({ db: b.db, actor: b.clerk.actor, status: 'pending' })).filter((r) => r.incomingId === atB?.id);
    expect(request).toMatchObject({ kind: 'recall', reason: 'Ban hành nhầm' });
    await answerRequest({ db: b.db, actor: b.clerk.actor, id: request?.id ?? '', agree: true, note: '' });
    await settle();
    expect((await recipientsOf(doc.id))[b.agency.code]).toMatchObject({ recallCode: '15' });
    expect((await incomingAt(b, subject))[0]).toMatchObject({ status: 'recalled' });
    expect(await sentDocumentIds(doc.id)).toEqual([doc.oldId]);
  });

  test('sent again to one recipient it is the same package on the axis (C gets no second copy), and its update reaches both and is answered', async () => {
    const subject = 'V/v văn bản gửi trước, cập nhật';
    const doc = await issueSentBefore(4, subject);
    const rowOf = async (code: string) => (await listOutbox({ db: sender.db, actor: sender.clerk.actor, limit: 100, offset: 0 }))
      .find((r) => r.outgoingId === doc.id && r.recipientAgencyCode === code && r.businessDocType === 0);
    const first = await rowOf(c.agency.code);
    // As after a failure our side saw: the clerk sends C's package again («Gửi lại»).
    await sender.db.updateTable('exchangeOutbox').set({ status: 'failed' }).where('id', '=', first?.id ?? '').execute();
    await retryOutbox({ db: sender.db, actor: sender.clerk.actor, id: first?.id ?? '' });
    await settle();
    expect(await rowOf(c.agency.code)).toMatchObject({ status: 'sent', axisDocId: first?.axisDocId });
    expect(await incomingAt(c, subject)).toHaveLength(1);

    await sendUpdate({ db: sender.db, actor: sender.clerk.actor, outgoingId: doc.id, reason: 'Lùi hạn', dueDate: '2026-12-31' });
    await runConnectorOnce(sender.deps, timings);
    const [update] = (await waitingFor(b)).filter((h) => h.traceHeaderList.bussiness?.bussinessDocType === 2 && h.messageHeader.documentId === doc.oldId);
    expect(update?.traceHeaderList.bussiness?.documentId).toBe(doc.oldId);
    await settle();
    const atB = (await incomingAt(b, subject))[0];
    const [requestB] = (await listRequests({ db: b.db, actor: b.clerk.actor, status: 'pending' })).filter((r) => r.incomingId === atB?.id);
    expect(requestB).toMatchObject({ kind: 'update' });
    expect((await listRequests({ db: c.db, actor: c.clerk.actor, status: 'pending' })).filter((r) => r.kind === 'update' && r.document.subject === subject)).toHaveLength(1);
    await answerRequest({ db: b.db, actor: b.clerk.actor, id: requestB?.id ?? '', agree: true, note: '' });
    await settle();
    expect((await incomingAt(b, subject))[0]).toMatchObject({ dueDate: '2026-12-31' });
    expect((await recipientsOf(doc.id))[b.agency.code]).toMatchObject({ recallCode: '15' });
  });

  test('its replacement names it «…,5/…» in ReplacementInfoList: B\'s copy is taken out, the replacement goes out as printed', async () => {
    const subject = 'V/v văn bản gửi trước, bị thay thế';
    const old = await issueSentBefore(5, subject, [b]);
    await numberNextAs(6);
    const replacement = await issueTo(sender, toExternal(b), 'V/v văn bản thay thế', undefined, old.id);
    const { id, payload } = await sender.db.selectFrom('exchangeOutbox').select(['id', 'payload']).where('outgoingId', '=', replacement.id).executeTakeFirstOrThrow();
    expect(payload).toEqual(expect.objectContaining({ replacement: { documentId: old.id } }));
    expect(payload).not.toHaveProperty('codeNotation');
    // as a row stored before holds it: the replaced document's số and ký hiệu as well, which the builder does not read
    const before = { ...(payload as object), codeNotation: replacement.notation, replacement: { documentId: old.id, codeNumber: '5', codeNotation: old.notation } };
    await sender.db.updateTable('exchangeOutbox').set({ payload: JSON.stringify(before) }).where('id', '=', id).execute();
    await runConnectorOnce(sender.deps, timings);
    const [header] = (await waitingFor(b)).filter((h) => h.messageHeader.subject === 'V/v văn bản thay thế');
    expect(header?.traceHeaderList.bussiness).toMatchObject({ bussinessDocType: 3, documentId: old.oldId, replacementInfoList: [{ documentId: old.oldId }] });
    expect(header?.messageHeader.documentId).toBe(`${sender.agency.code},${header?.messageHeader.promulgationInfo.promulgationDate},06/${replacement.notation}`);
    await settle();
    expect((await incomingAt(b, subject))[0]).toMatchObject({ status: 'recalled' });
    expect(await incomingAt(b, 'V/v văn bản thay thế')).toEqual([expect.objectContaining({ number: '06', status: 'received' })]);
  });
});

describe('the recipient takes «2» and «02» in a DocumentId as one số', () => {
  test('a recall that names a document B took in as «…,7/…» by «…,07/…» (a sender deriving the DocumentId again) still finds it', async () => {
    const subject = 'V/v thu hồi theo mã viết lại';
    const doc = await issueSentBefore(7, subject, [b]);
    const [atB] = await incomingAt(b, subject);
    const rewritten = doc.oldId.replace(`,7/${doc.notation}`, `,07/${doc.notation}`);
    const day = rewritten.split(',')[1] ?? '';
    const header: TEdxmlHeader = {
      messageHeader: {
        from: { organId: sender.agency.code, organName: sender.agency.name }, to: [{ organId: b.agency.code, organName: b.agency.name }],
        documentId: rewritten, code: { codeNumber: '07', codeNotation: doc.notation ?? '' }, promulgationInfo: { promulgationDate: day },
        documentType: { type: 1, typeName: 'Công văn' }, subject, steeringType: 0,
      },
      traceHeaderList: {
        traceHeader: [{ organId: sender.agency.code, timestamp: formatEdxmlTimestamp(new Date()) }],
        bussiness: { bussinessDocType: 1, bussinessDocReason: 'Ban hành nhầm', documentId: rewritten, paper: 0 },
      },
    };
    const chunks: Buffer[] = [];
    await buildEdxml(header, [], { signer: await sealSigner(sender.deps, sender.agency.id) }, new Writable({ write(chunk, _e, done) { chunks.push(Buffer.from(chunk)); done(); } }));
    const taken = await takeInPackage(b.deps, { agencyId: b.agency.id, agencyCode: b.agency.code, axisDocId: 'rewritten-recall-1', messageType: 'edoc', bytes: Buffer.concat(chunks) });
    expect(taken).toMatchObject({ outcome: 'accepted', incomingId: atB?.id });
    expect((await listRequests({ db: b.db, actor: b.clerk.actor, status: 'pending' })).filter((r) => r.incomingId === atB?.id)).toEqual([expect.objectContaining({ kind: 'recall' })]);
  });
});
