import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../../test/db.ts';
import { makeDeps } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { createApp } from '../../platform/http/app.ts';
import type { DatabaseHandle } from '../../platform/db/client.ts';
import { issueTo, makeInstall, type Install } from '../exchange/connector/connector.testing.ts';
import { sendUpdate } from '../exchange/connector/connector-requests.service.ts';
import { recallOutgoing } from '../outgoing/outgoing-recall.service.ts';
import { outgoingRepo } from '../outgoing/outgoing.repository.ts';
import { answerSenderRequest, countPendingRequests, listSenderRequests } from './incoming-requests.service.ts';
import { getIncoming, listIncoming } from './incoming-query.service.ts';

let handle: DatabaseHandle;
let province: Install;
let department: Install;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  handle = await createTestDb();
  const deps = await makeDeps(handle.db, { demo: true });
  province = await makeInstall(handle.db, { name: 'Ủy ban nhân dân tỉnh Thử', deps });
  department = await makeInstall(handle.db, { name: 'Sở Nội vụ tỉnh Thử', deps });
  app = createApp(deps);
});
afterAll(async () => handle?.close());

/** The province issues a Công văn to the department (same install); returns the outgoing id and the department's incoming id. */
async function issuedToDepartment(subject: string) {
  const doc = await issueTo(province, [{ kind: 'agency', agencyId: department.agency.id }], subject);
  const [recipient] = await outgoingRepo.listRecipients(handle.db, doc.id);
  return { outgoingId: doc.id, incomingId: recipient?.incomingId ?? '' };
}

const recipientOf = async (outgoingId: string) => (await outgoingRepo.listRecipients(handle.db, outgoingId))[0];
const eventsOf = async (outgoingId: string) => (await outgoingRepo.listRecipientEvents(handle.db, outgoingId)).map((e) => ({ code: e.code, description: e.description }));
const pendingFor = async (install: Install, incomingId: string) =>
  (await listSenderRequests({ db: handle.db, actor: install.clerk.actor, status: 'pending' })).find((r) => r.incomingId === incomingId);

describe('a recall by an agency on the same install', () => {
  test('reaches the recipient clerk as a request; agreeing takes the document out of the active lists and the sender sees 15', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v tổ chức hội nghị (sẽ thu hồi)');
    const before = await countPendingRequests({ db: handle.db, actor: department.clerk.actor });
    await recallOutgoing({ db: handle.db, actor: province.clerk.actor, id: outgoingId, reason: 'Ban hành sai thẩm quyền' });
    expect(await countPendingRequests({ db: handle.db, actor: department.clerk.actor })).toBe(before + 1);
    const request = await pendingFor(department, incomingId);
    expect(request).toMatchObject({ kind: 'recall', status: 'pending', reason: 'Ban hành sai thẩm quyền', document: { subject: 'V/v tổ chức hội nghị (sẽ thu hồi)' } });
    const page = await getIncoming({ db: handle.db, actor: department.clerk.actor, id: incomingId });
    expect(page.requests[0]).toMatchObject({ id: request?.id, status: 'pending' });
    expect(page.can['incoming.answer_request']).toBe(true);

    const answered = await answerSenderRequest({ db: handle.db, actor: department.clerk.actor, id: request?.id ?? '', agree: true, note: 'Đã hủy lịch hội nghị' });
    expect(answered.document.status).toBe('recalled');
    const intake = await listIncoming({ db: handle.db, actor: department.clerk.actor, query: { box: 'intake', limit: 200, offset: 0 } });
    expect(intake.map((d) => d.id)).not.toContain(incomingId);
    const history = await getIncoming({ db: handle.db, actor: department.clerk.actor, id: incomingId });
    expect(history.statuses.map((s) => s.code)).toEqual(['01', '15']);
    expect(history.requests[0]).toMatchObject({ status: 'agreed', answerNote: 'Đã hủy lịch hội nghị', answeredByName: department.clerk.user.fullName });
    expect(history.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['EXCHANGE_REQUEST_RECEIVED', 'EXCHANGE_REQUEST_ANSWERED']));

    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '15', statusCode: '01' });
    expect(await eventsOf(outgoingId)).toEqual([
      { code: '01', description: '' }, { code: '13', description: 'Ban hành sai thẩm quyền' }, { code: '15', description: 'Đồng ý thu hồi: Đã hủy lịch hội nghị' },
    ]);
  });

  test('a leader refuses: the sender sees 16, the document stays in the work lists, and a second answer is 409 with the current state', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v báo cáo tổng kết năm');
    await recallOutgoing({ db: handle.db, actor: province.clerk.actor, id: outgoingId, reason: 'Nhầm nơi nhận' });
    const request = await pendingFor(department, incomingId);
    await answerSenderRequest({ db: handle.db, actor: department.leader.actor, id: request?.id ?? '', agree: false, note: 'Đã giao xử lý' });
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '16' });
    expect((await eventsOf(outgoingId)).at(-1)).toEqual({ code: '16', description: 'Từ chối thu hồi: Đã giao xử lý' });
    const intake = await listIncoming({ db: handle.db, actor: department.clerk.actor, query: { box: 'intake', limit: 200, offset: 0 } });
    expect(intake.find((d) => d.id === incomingId)).toMatchObject({ status: 'received' });
    await expect(answerSenderRequest({ db: handle.db, actor: department.clerk.actor, id: request?.id ?? '', agree: true, note: '' }))
      .rejects.toMatchObject({ code: 'incoming.request_answered', status: 409, details: { status: 'refused' } });
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '16' });
  });
});

describe('an update by an agency on the same install', () => {
  test('agreeing applies the new subject and deadline, and the sender sees 15', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v trích yếu cũ');
    await sendUpdate({ db: handle.db, actor: province.clerk.actor, outgoingId, reason: 'Sửa trích yếu và hạn', subject: 'V/v trích yếu mới', dueDate: '2026-12-31' });
    const request = await pendingFor(department, incomingId);
    expect(request).toMatchObject({ kind: 'update', reason: 'Sửa trích yếu và hạn', changes: { subject: 'V/v trích yếu mới', dueDate: '2026-12-31' } });
    const answered = await answerSenderRequest({ db: handle.db, actor: department.clerk.actor, id: request?.id ?? '', agree: true, note: '' });
    expect(answered.document).toMatchObject({ subject: 'V/v trích yếu mới', dueDate: '2026-12-31', status: 'received' });
    const found = await listIncoming({ db: handle.db, actor: department.clerk.actor, query: { box: 'all', q: 'trích yếu mới', limit: 50, offset: 0 } });
    expect(found.map((d) => d.id)).toContain(incomingId);
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '15' });
    expect((await eventsOf(outgoingId)).at(-1)).toEqual({ code: '15', description: 'Đồng ý cập nhật' });
  });
});

describe('who may answer', () => {
  test('staff of the recipient agency and the sender agency cannot answer or list; nothing changes', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v kiểm tra quyền trả lời');
    await recallOutgoing({ db: handle.db, actor: province.clerk.actor, id: outgoingId, reason: 'Thử quyền' });
    const request = await pendingFor(department, incomingId);
    const id = request?.id ?? '';
    await expect(answerSenderRequest({ db: handle.db, actor: department.staff.actor, id, agree: true, note: '' })).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(answerSenderRequest({ db: handle.db, actor: department.admin.actor, id, agree: true, note: '' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(answerSenderRequest({ db: handle.db, actor: province.clerk.actor, id, agree: true, note: '' })).rejects.toMatchObject({ code: 'incoming.request_not_found', status: 404 });
    await expect(listSenderRequests({ db: handle.db, actor: department.staff.actor })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await listSenderRequests({ db: handle.db, actor: province.clerk.actor })).map((r) => r.id)).not.toContain(id);
    expect((await getIncoming({ db: handle.db, actor: department.clerk.actor, id: incomingId })).doc.status).toBe('received');
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '13' });
  });

  test('over HTTP: staff get 403, a second answer 409 with the current state, the clerk lists and answers', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v thử qua HTTP');
    await recallOutgoing({ db: handle.db, actor: province.clerk.actor, id: outgoingId, reason: 'Thử HTTP' });
    const { client: staff } = await signedInClient(app, handle.db, { agencyId: department.agency.id, roles: ['staff'] });
    const { client: clerk } = await signedInClient(app, handle.db, { agencyId: department.agency.id, roles: ['clerk'] });
    expect((await staff.get('/api/incoming/requests?status=pending')).status).toBe(403);
    const listed = await clerk.get('/api/incoming/requests?status=pending');
    const request = (listed.body.data as { id: string; incomingId: string }[]).find((r) => r.incomingId === incomingId);
    const denied = await staff.post(`/api/incoming/requests/${request?.id}/answer`, { agree: true, note: '' });
    expect([denied.status, denied.body.error?.code]).toEqual([403, 'forbidden']);
    const ok = await clerk.post(`/api/incoming/requests/${request?.id}/answer`, { agree: true, note: 'Đồng ý' });
    expect(ok.body.data).toMatchObject({ status: 'agreed', document: { status: 'recalled' } });
    const again = await clerk.post(`/api/incoming/requests/${request?.id}/answer`, { agree: false, note: '' });
    expect([again.status, again.body.error?.code, again.body.error?.details]).toEqual([409, 'incoming.request_answered', expect.objectContaining({ status: 'agreed' })]);
    const bad = await clerk.post(`/api/incoming/requests/${request?.id}/answer`, { agree: 'có' });
    expect(bad.status).toBe(400);
    expect((await clerk.get('/api/incoming/requests/pending-count')).body.data).toMatchObject({ count: expect.any(Number) });
  });
});
