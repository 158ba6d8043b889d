import { Writable } from 'node:stream';
import { beforeAll, describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { nextAgencyCode } from '../../test/factories.ts';
import { buildEdxml } from '../exchange/edxml/edxml.build.ts';
import type { TEdxmlHeader } from '../exchange/edxml/edxml.schemas.ts';
import { makeTestSigner, sampleHeader } from '../exchange/edxml/edxml.testing.ts';
import { applyPrepared, preparePackage } from '../exchange/connector/connector.accept.ts';
import { makeInstall, type Install } from '../exchange/connector/connector.testing.ts';
import { answerSenderRequest, requestsOf } from './incoming-requests.service.ts';
import { refuseIncoming } from './incoming.service.ts';
import { workRepo } from './incoming-work.repository.ts';

/**
 * A sender's recall or update that reaches us through the axis after its document was returned (02), recalled or
 * replaced is answered at once, in the transaction that takes it in: nobody here can answer it any more, and the
 * sender would wait on 13 for ever. Real signed packages taken in by the connector, on the recipient's database.
 */
const t = useTestDb();
let recipient: Install;
const signer = makeTestSigner('rsa');
const sender = { code: nextAgencyCode(), name: 'Ủy ban nhân dân huyện Gửi Thử' };
let packages = 0;

beforeAll(async () => {
  recipient = await makeInstall(t.db, { code: nextAgencyCode(), name: 'Sở Nội vụ tỉnh Thử' });
});

const RETURNED = 'Văn bản đã được trả lại cơ quan gửi';
const RECALLED = 'Văn bản đã được thu hồi theo đề nghị của cơ quan gửi';
const REPLACED = 'Văn bản đã được thay thế bằng văn bản khác';

/** The sender's document package: new (0), recall (1), update (2) or replacement (3) of `documentId`, signed. */
async function packageOf(o: { number: number; type: 0 | 1 | 2 | 3; documentId?: string; subject?: string; reason?: string }) {
  const header: TEdxmlHeader = sampleHeader();
  const m = header.messageHeader;
  m.from = { organId: sender.code, organName: sender.name };
  m.to = [{ organId: recipient.agency.code, organName: recipient.agency.name }];
  m.documentId = `${sender.code},2026/12/07,${o.number}/UBND-VP`;
  m.code = { codeNumber: String(o.number), codeNotation: 'UBND-VP' };
  m.responseFor = undefined;
  if (o.subject) m.subject = o.subject;
  header.traceHeaderList = {
    traceHeader: [{ organId: sender.code, timestamp: '2026/12/07 09:15:00' }],
    bussiness: {
      bussinessDocType: o.type, bussinessDocReason: o.reason ?? 'Văn bản mới',
      ...(o.type !== 0 && { documentId: o.documentId }),
      ...(o.type === 2 && { bussinessDocumentInfo: { documentInfo: 1 } }),
      ...(o.type === 3 && { replacementInfoList: [{ documentId: o.documentId ?? '', organIdList: [recipient.agency.code] }] }),
    },
  };
  const chunks: Buffer[] = [];
  await buildEdxml(header, [{ name: 'vanban.pdf', contentType: 'application/pdf', source: Buffer.from(`%PDF-1.4 văn bản số ${o.number}\n`) }], { signer },
    new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk); done(); } }));
  return { documentId: m.documentId, bytes: Buffer.concat(chunks) };
}

/** Takes one package in as the connector does, under a fresh axis DocId; its outcome. */
async function takeIn(bytes: Uint8Array) {
  const prepared = await preparePackage(recipient.deps, { agencyId: recipient.agency.id, agencyCode: recipient.agency.code, axisDocId: `late-${++packages}`, messageType: 'edoc', bytes });
  const [result] = await applyPrepared(recipient.deps, recipient.agency.id, [prepared]);
  if (!result || result instanceof Error) throw result ?? new Error('nothing taken in');
  return result;
}

let numbers = 700;
/** A document received from the sender through the axis: its DocumentId and incoming id. */
async function received(subject: string) {
  const { documentId, bytes } = await packageOf({ number: ++numbers, type: 0, subject });
  const result = await takeIn(bytes);
  return { documentId, incomingId: result.incomingId ?? '' };
}
const recallOf = (documentId: string, reason = 'Ban hành sai thẩm quyền') => packageOf({ number: ++numbers, type: 1, documentId, reason });
const updateOf = (documentId: string) => packageOf({ number: ++numbers, type: 2, documentId, subject: 'V/v trích yếu đã sửa', reason: 'Sửa trích yếu' });

/** What went back to the sender about the document (after its 01), and the requests recorded on it, oldest first. */
const sentBack = async (incomingId: string) => (await workRepo.listStatusOut(t.db, incomingId)).slice(1).map((s) => `${s.code} ${s.description}`);
const statusPackages = async (incomingId: string) =>
  (await t.db.selectFrom('exchangeOutbox').select('id').where('incomingId', '=', incomingId).where('packageKind', '=', 'status').execute()).length;
const requests = async (incomingId: string) =>
  (await requestsOf(t.db, incomingId)).reverse().map((r) => ({ kind: r.kind, status: r.status, answerNote: r.answerNote, answeredByName: r.answeredByName }));
const notices = (incomingId: string) =>
  t.db.selectFrom('incomingNotice').select('id').where('incomingId', '=', incomingId).where('exchangeRequestId', 'is not', null).where('readAt', 'is', null).execute();

describe('a recall or update arriving after the document was returned to its sender (02)', () => {
  test('the recall is agreed at once (15 «văn bản đã được trả lại»), the update refused (16); nobody is asked, and a replay sends nothing more', async () => {
    const doc = await received('V/v gửi nhầm nơi nhận');
    await refuseIncoming({ db: t.db, actor: recipient.clerk.actor, id: doc.incomingId, reason: 'Không thuộc thẩm quyền của Sở' });
    const recall = await recallOf(doc.documentId);
    const update = await updateOf(doc.documentId);

    expect(await takeIn(recall.bytes)).toMatchObject({ outcome: 'accepted', incomingId: doc.incomingId });
    expect(await takeIn(update.bytes)).toMatchObject({ outcome: 'accepted', incomingId: doc.incomingId });

    expect(await requests(doc.incomingId)).toEqual([
      { kind: 'recall', status: 'agreed', answerNote: RETURNED, answeredByName: null },
      { kind: 'update', status: 'refused', answerNote: RETURNED, answeredByName: null },
    ]);
    expect(await sentBack(doc.incomingId)).toEqual(['02 Không thuộc thẩm quyền của Sở', `15 Đồng ý thu hồi: ${RETURNED}`, `16 Từ chối cập nhật: ${RETURNED}`]);
    expect(await statusPackages(doc.incomingId)).toBe(4);
    expect(await notices(doc.incomingId)).toEqual([]);
    const audits = await t.db.selectFrom('auditLog').select(['type', 'data']).where('entityId', '=', doc.incomingId)
      .where('type', 'in', ['EXCHANGE_REQUEST_RECEIVED', 'EXCHANGE_REQUEST_ANSWERED']).orderBy('id').execute();
    expect(audits.map((a) => [a.type, (a.data as { kind: string }).kind, (a.data as { automatic?: boolean }).automatic ?? false])).toEqual([
      ['EXCHANGE_REQUEST_RECEIVED', 'recall', false], ['EXCHANGE_REQUEST_ANSWERED', 'recall', true],
      ['EXCHANGE_REQUEST_RECEIVED', 'update', false], ['EXCHANGE_REQUEST_ANSWERED', 'update', true],
    ]);

    // the axis delivers the same packages again: recognised as replays, no second request nor answer
    expect(await takeIn(recall.bytes)).toMatchObject({ outcome: 'duplicate' });
    expect(await takeIn(update.bytes)).toMatchObject({ outcome: 'duplicate' });
    expect(await requests(doc.incomingId)).toHaveLength(2);
    expect(await statusPackages(doc.incomingId)).toBe(4);
  });
});

describe('a recall or update arriving after the document left the recipient\'s system', () => {
  test('recalled at the sender\'s request: a later update is refused at once (16 «văn bản đã được thu hồi»)', async () => {
    const doc = await received('V/v kế hoạch đã thu hồi');
    await takeIn((await recallOf(doc.documentId)).bytes);
    const [recall] = await requestsOf(t.db, doc.incomingId);
    await answerSenderRequest({ db: t.db, actor: recipient.clerk.actor, id: recall?.id ?? '', agree: true, note: '' });

    await takeIn((await updateOf(doc.documentId)).bytes);

    expect((await requests(doc.incomingId)).at(-1)).toEqual({ kind: 'update', status: 'refused', answerNote: RECALLED, answeredByName: null });
    expect((await sentBack(doc.incomingId)).at(-1)).toBe(`16 Từ chối cập nhật: ${RECALLED}`);
    expect(await notices(doc.incomingId)).toEqual([]);
  });

  test('replaced: a later recall is agreed at once (15 «văn bản đã được thay thế»), a later update refused (16)', async () => {
    const doc = await received('V/v lịch họp (bản cũ)');
    const replacement = await packageOf({ number: ++numbers, type: 3, documentId: doc.documentId, subject: 'V/v lịch họp (bản thay thế)', reason: 'Thay thế' });
    await takeIn(replacement.bytes);

    await takeIn((await recallOf(doc.documentId, 'Thu hồi bản cũ')).bytes);
    await takeIn((await updateOf(doc.documentId)).bytes);

    expect(await requests(doc.incomingId)).toEqual([
      { kind: 'recall', status: 'agreed', answerNote: REPLACED, answeredByName: null },
      { kind: 'update', status: 'refused', answerNote: REPLACED, answeredByName: null },
    ]);
    expect(await sentBack(doc.incomingId)).toEqual([`15 Đồng ý thu hồi: ${REPLACED}`, `16 Từ chối cập nhật: ${REPLACED}`]);
    expect(await notices(doc.incomingId)).toEqual([]);
  });
});
