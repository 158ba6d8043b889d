import { Writable } from 'node:stream';
import { beforeAll, describe, expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { nextAgencyCode } from '../../../test/factories.ts';
import { buildStatusEdxml } from '../edxml/edxml.build.ts';
import { makeTestSigner } from '../edxml/edxml.testing.ts';
import { recallOutgoing } from '../../outgoing/outgoing-recall.service.ts';
import { outgoingDetail } from '../../outgoing/outgoing.present.ts';
import { sendUpdate } from './connector-requests.service.ts';
import { applyPrepared, preparePackage } from './connector.accept.ts';
import { issueExternal, makeInstall, type Install } from './connector.testing.ts';

/**
 * The sender's view of a recipient's answers (15/16) that come through the axis in any order: edXML
 * timestamps carry whole seconds, and a recipient agreeing a recall answers the update requests still
 * waiting 16 in the same transaction, just before the recall's 15. Real signed status packages taken in
 * by the connector, on the sender's own database.
 */
const t = useTestDb();
let sender: Install;
const signer = makeTestSigner('rsa');
let packages = 0;

beforeAll(async () => {
  sender = await makeInstall(t.db, { code: nextAgencyCode(), name: 'Ủy ban nhân dân huyện Thử' });
});

/** A document issued to one external recipient, with the DocumentId its statuses quote. */
async function issuedTo(name: string) {
  const to = { code: nextAgencyCode(), name };
  const doc = await issueExternal(sender, [to]);
  const documentId = `${sender.agency.code},2026/12/07,${doc.number ?? 0}/${doc.notation ?? ''}`;
  await t.db.insertInto('exchangeDocument').values({ agencyId: sender.agency.id, documentId, outgoingId: doc.id }).execute();
  /** The recipient's status package: `code` with `description`, stamped `timestamp` (yyyy/MM/dd HH:mm:ss), through the axes `hops` name. */
  const status = async (code: string, description: string, timestamp: string, hops: { organId: string; timestamp: string }[] = []) => {
    const header = {
      messageHeader: { responseFor: { organId: sender.agency.code, documentId }, from: { organId: to.code, organName: to.name }, statusCode: code, description, timestamp },
      traceHeaderList: { traceHeader: [{ organId: to.code, timestamp }, ...hops] },
    };
    const chunks: Buffer[] = [];
    await buildStatusEdxml(header, { signer }, new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk); done(); } }));
    return preparePackage(sender.deps, { agencyId: sender.agency.id, agencyCode: sender.agency.code, axisDocId: `status-order-${++packages}`, messageType: 'status', bytes: Buffer.concat(chunks) });
  };
  const recipient = () => t.db.selectFrom('outgoingRecipient').select(['statusCode', 'recallCode']).where('outgoingId', '=', doc.id).executeTakeFirstOrThrow();
  const events = async () => (await t.db.selectFrom('outgoingRecipientEvent as e').innerJoin('outgoingRecipient as r', 'r.id', 'e.recipientId')
    .select(['e.code', 'e.description']).where('r.outgoingId', '=', doc.id).orderBy('e.id').execute()).map((e) => `${e.code} ${e.description}`);
  return { id: doc.id, status, recipient, events };
}

const take = async (prepared: Awaited<ReturnType<Awaited<ReturnType<typeof issuedTo>>['status']>>[]) =>
  expect(await applyPrepared(sender.deps, sender.agency.id, prepared)).toMatchObject(prepared.map(() => ({ outcome: 'accepted' })));

const askUpdate = (outgoingId: string) => sendUpdate({ db: t.db, actor: sender.clerk.actor, outgoingId, reason: 'Sửa trích yếu', subject: 'V/v trích yếu đã sửa' });
const recall = (outgoingId: string) => recallOutgoing({ db: t.db, actor: sender.clerk.actor, id: outgoingId, reason: 'Ban hành sai thẩm quyền' });

describe('a recipient agrees the recall of a document whose update it had not answered', () => {
  const UPDATE_REFUSED = 'Từ chối cập nhật: Văn bản đã được thu hồi theo đề nghị của cơ quan gửi';

  test.each([
    { order: 'the update\'s 16, then the recall\'s 15', codes: ['16', '15'] },
    { order: 'the recall\'s 15, then the update\'s 16', codes: ['15', '16'] },
  ])('stamped in the same second and arriving $order, the sender sees the recall agreed (15); both join the timeline', async ({ codes }) => {
    const doc = await issuedTo('Sở Tài chính tỉnh Thử');
    await askUpdate(doc.id);
    await recall(doc.id);
    const answers = { '15': await doc.status('15', 'Đồng ý thu hồi', '2026/12/07 10:00:00'), '16': await doc.status('16', UPDATE_REFUSED, '2026/12/07 10:00:00') };

    await take(codes.map((c) => answers[c as keyof typeof answers]));

    expect(await doc.recipient()).toMatchObject({ recallCode: '15' });
    expect((await doc.events()).slice(-2).sort()).toEqual([`15 Đồng ý thu hồi`, `16 ${UPDATE_REFUSED}`]);
  });

  test('in two polls, the recall\'s 15 first: the update\'s 16 arriving after it changes nothing but the timeline', async () => {
    const doc = await issuedTo('Sở Giáo dục và Đào tạo tỉnh Thử');
    await askUpdate(doc.id);
    await recall(doc.id);
    await take([await doc.status('15', 'Đồng ý thu hồi', '2026/12/07 10:00:01')]);
    await take([await doc.status('16', UPDATE_REFUSED, '2026/12/07 10:00:01')]);
    expect(await doc.recipient()).toMatchObject({ recallCode: '15' });
  });

  test('an update refused before the recall was asked, whose 16 comes only after it: the recipient still owes the recall\'s answer (13)', async () => {
    const doc = await issuedTo('Sở Y tế tỉnh Thử');
    await askUpdate(doc.id);
    const refusedEarlier = await doc.status('16', 'Từ chối cập nhật: Không thuộc thẩm quyền', '2026/01/02 08:00:00');
    await recall(doc.id);
    await take([refusedEarlier]);
    expect(await doc.recipient()).toMatchObject({ recallCode: '13' });
    await take([await doc.status('16', 'Từ chối thu hồi: Đã giao xử lý', '2026/01/02 08:05:00')]);
    expect(await doc.recipient()).toMatchObject({ recallCode: '16' });
  });
});

describe('a recipient refuses the recall, then returns the document with an update still waiting', () => {
  test('the update\'s 16 that comes with the return leaves the badge at the recall\'s answer: «16 · Từ chối thu hồi»', async () => {
    const doc = await issuedTo('Sở Văn hóa, Thể thao và Du lịch tỉnh Thử');
    await askUpdate(doc.id);
    await recall(doc.id);
    await take([await doc.status('16', 'Từ chối thu hồi: Đã giao xử lý', '2026/12/07 12:00:00')]);
    await take([await doc.status('02', 'Không thuộc thẩm quyền', '2026/12/07 12:30:00'), await doc.status('16', 'Từ chối cập nhật: Văn bản đã được trả lại cơ quan gửi', '2026/12/07 12:30:00')]);
    const page = await outgoingDetail({ db: t.db, actor: sender.clerk.actor, id: doc.id });
    expect(page.data.recipients[0]).toMatchObject({ statusCode: '02', recallCode: '16', recallLabel: '16 · Từ chối thu hồi' });
  });
});

describe('answers that say nothing of what they answer (another vendor\'s system)', () => {
  test('arriving out of order in one second, the one taken in last stands, as before', async () => {
    const doc = await issuedTo('Sở Công Thương tỉnh Thử');
    await recall(doc.id);
    await take([await doc.status('15', 'Đồng ý', '2026/12/07 11:00:00'), await doc.status('16', 'Không đồng ý', '2026/12/07 11:00:00')]);
    expect(await doc.recipient()).toMatchObject({ recallCode: '16' });
  });

  test('an update answered while the document is issued still replaces the update request (13)', async () => {
    const doc = await issuedTo('Sở Nông nghiệp tỉnh Thử');
    await askUpdate(doc.id);
    await take([await doc.status('15', 'Đồng ý cập nhật', '2026/12/07 11:00:00')]);
    expect(await doc.recipient()).toMatchObject({ recallCode: '15' });
  });
});

describe('two status packages of one code stamped in the same second', () => {
  test('a recipient that returns the document refuses the waiting recall and update at once: both «16» join the timeline', async () => {
    const doc = await issuedTo('Sở Xây dựng tỉnh Thử');
    await askUpdate(doc.id);
    await recall(doc.id);
    const [recallRefused, updateRefused] = ['Từ chối thu hồi: Văn bản đã được trả lại cơ quan gửi', 'Từ chối cập nhật: Văn bản đã được trả lại cơ quan gửi'];
    await take([await doc.status('16', recallRefused, '2026/12/07 14:00:00')]);
    await take([await doc.status('16', updateRefused, '2026/12/07 14:00:00')]);
    expect((await doc.events()).filter((e) => e.startsWith('16 '))).toEqual([`16 ${recallRefused}`, `16 ${updateRefused}`]);
  });

  test('two «05» of one batch, each with its own note, both join the timeline', async () => {
    const doc = await issuedTo('Sở Khoa học và Công nghệ tỉnh Thử');
    await take([await doc.status('05', 'Đang xử lý: Phòng Kế hoạch', '2026/12/07 15:00:00'), await doc.status('05', 'Đang xử lý: Phòng Tổng hợp', '2026/12/07 15:00:00')]);
    expect(await doc.events()).toEqual(['05 Đang xử lý: Phòng Kế hoạch', '05 Đang xử lý: Phòng Tổng hợp']);
    expect(await doc.recipient()).toMatchObject({ statusCode: '05' });
  });

  test('the same package again — under another axis DocId, or relayed through one more axis — is a duplicate and changes nothing', async () => {
    const doc = await issuedTo('Sở Ngoại vụ tỉnh Thử');
    await take([await doc.status('16', 'Từ chối thu hồi: Đã giao xử lý', '2026/12/07 16:00:00')]);
    const again = [await doc.status('16', 'Từ chối thu hồi: Đã giao xử lý', '2026/12/07 16:00:00'),
      await doc.status('16', 'Từ chối thu hồi: Đã giao xử lý', '2026/12/07 16:00:00', [{ organId: '000.00.00.G22', timestamp: '2026/12/07 16:00:02' }])];
    expect(await applyPrepared(sender.deps, sender.agency.id, again)).toMatchObject([{ outcome: 'duplicate' }, { outcome: 'duplicate' }]);
    expect(await doc.events()).toEqual(['16 Từ chối thu hồi: Đã giao xử lý']);
  });
});
