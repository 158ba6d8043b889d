import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { issueTo, makeInstall, type Install } from '../exchange/connector/connector.testing.ts';
import { sendUpdate } from '../exchange/connector/connector-requests.service.ts';
import { recallOutgoing } from '../outgoing/outgoing-recall.service.ts';
import { outgoingRepo } from '../outgoing/outgoing.repository.ts';
import { answerSenderRequest, listSenderRequests, takeOutReplaced } from './incoming-requests.service.ts';
import { countIncomingWork, getIncoming, listIncoming, listNotices } from './incoming-query.service.ts';
import { refuseIncoming, registerIncoming } from './incoming.service.ts';
import { directIncoming, forwardIncoming, reassignInUnit } from './incoming-direction.service.ts';
import { ZDirectIncomingBody, ZReassignBody, ZRegisterIncomingBody } from './incoming.schemas.ts';
import { makeUnit, makeUser } from '../../test/factories.ts';

const t = useTestApp({ demo: true });
let province: Install;
let department: Install;

beforeAll(async () => {
  province = await makeInstall(t.db, { name: 'Ủy ban nhân dân tỉnh Thử', deps: t.deps });
  department = await makeInstall(t.db, { name: 'Sở Nội vụ tỉnh Thử', deps: t.deps });
});

/** The province issues a Công văn to the department (same install), or its replacement; returns the outgoing id and the department's incoming id. */
async function issuedToDepartment(subject: string, replacesId: string | null = null) {
  const doc = await issueTo(province, [{ kind: 'agency', agencyId: department.agency.id }], subject, undefined, replacesId);
  const [recipient] = await outgoingRepo.listRecipients(t.db, doc.id);
  return { outgoingId: doc.id, incomingId: recipient?.incomingId ?? '' };
}

const recipientOf = async (outgoingId: string) => (await outgoingRepo.listRecipients(t.db, outgoingId))[0];
const eventsOf = async (outgoingId: string) => (await outgoingRepo.listRecipientEvents(t.db, outgoingId)).map((e) => ({ code: e.code, description: e.description }));
/** How many requests wait for the actor's answer, as the home page and the list's tab show it (GET /api/incoming/counts). */
const pendingCount = async (actor: Install['clerk']['actor']) => {
  const { requests } = await countIncomingWork({ db: t.db, actor });
  if (!requests) throw new Error('no count of the requests for this user');
  return requests.count;
};
type Counts = { requests: { count: number } | null };
const pendingFor = async (install: Install, incomingId: string) =>
  (await listSenderRequests({ db: t.db, actor: install.clerk.actor, status: 'pending' })).find((r) => r.incomingId === incomingId);

describe('a recall by an agency on the same install', () => {
  test('reaches the recipient clerk as a request; agreeing takes the document out of the active lists and the sender sees 15', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v tổ chức hội nghị (sẽ thu hồi)');
    const before = await pendingCount(department.clerk.actor);
    await recallOutgoing({ db: t.db, actor: province.clerk.actor, id: outgoingId, reason: 'Ban hành sai thẩm quyền' });
    expect(await pendingCount(department.clerk.actor)).toBe(before + 1);
    const request = await pendingFor(department, incomingId);
    expect(request).toMatchObject({ kind: 'recall', status: 'pending', reason: 'Ban hành sai thẩm quyền', document: { subject: 'V/v tổ chức hội nghị (sẽ thu hồi)' } });
    const page = await getIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId });
    expect(page.requests[0]).toMatchObject({ id: request?.id, status: 'pending' });
    expect(page.can['incoming.answer_request']).toBe(true);

    const answered = await answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: request?.id ?? '', agree: true, note: 'Đã hủy lịch hội nghị' });
    expect(answered.document.status).toBe('recalled');
    const intake = await listIncoming({ db: t.db, actor: department.clerk.actor, query: { box: 'intake', limit: 200, offset: 0 } });
    expect(intake.map((d) => d.id)).not.toContain(incomingId);
    const history = await getIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId });
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
    await recallOutgoing({ db: t.db, actor: province.clerk.actor, id: outgoingId, reason: 'Nhầm nơi nhận' });
    const request = await pendingFor(department, incomingId);
    await answerSenderRequest({ db: t.db, actor: department.leader.actor, id: request?.id ?? '', agree: false, note: 'Đã giao xử lý' });
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '16' });
    expect((await eventsOf(outgoingId)).at(-1)).toEqual({ code: '16', description: 'Từ chối thu hồi: Đã giao xử lý' });
    const intake = await listIncoming({ db: t.db, actor: department.clerk.actor, query: { box: 'intake', limit: 200, offset: 0 } });
    expect(intake.find((d) => d.id === incomingId)).toMatchObject({ status: 'received' });
    await expect(answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: request?.id ?? '', agree: true, note: '' }))
      .rejects.toMatchObject({ code: 'incoming.request_answered', status: 409, details: { status: 'refused' } });
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '16' });
  });
});

describe('an update by an agency on the same install', () => {
  test('agreeing applies the new subject and deadline, and the sender sees 15', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v trích yếu cũ');
    await sendUpdate({ db: t.db, actor: province.clerk.actor, outgoingId, reason: 'Sửa trích yếu và hạn', subject: 'V/v trích yếu mới', dueDate: '2026-12-31' });
    const request = await pendingFor(department, incomingId);
    expect(request).toMatchObject({ kind: 'update', reason: 'Sửa trích yếu và hạn', changes: { subject: 'V/v trích yếu mới', dueDate: '2026-12-31' } });
    const answered = await answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: request?.id ?? '', agree: true, note: '' });
    expect(answered.document).toMatchObject({ subject: 'V/v trích yếu mới', dueDate: '2026-12-31', status: 'received' });
    const found = await listIncoming({ db: t.db, actor: department.clerk.actor, query: { box: 'all', q: 'trích yếu mới', limit: 50, offset: 0 } });
    expect(found.map((d) => d.id)).toContain(incomingId);
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '15' });
    expect((await eventsOf(outgoingId)).at(-1)).toEqual({ code: '15', description: 'Đồng ý cập nhật' });
  });
});

describe('who may answer', () => {
  test('staff of the recipient agency and the sender agency cannot answer or list; nothing changes', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v kiểm tra quyền trả lời');
    await recallOutgoing({ db: t.db, actor: province.clerk.actor, id: outgoingId, reason: 'Thử quyền' });
    const request = await pendingFor(department, incomingId);
    const id = request?.id ?? '';
    await expect(answerSenderRequest({ db: t.db, actor: department.staff.actor, id, agree: true, note: '' })).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    await expect(answerSenderRequest({ db: t.db, actor: department.admin.actor, id, agree: true, note: '' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(answerSenderRequest({ db: t.db, actor: province.clerk.actor, id, agree: true, note: '' })).rejects.toMatchObject({ code: 'incoming.request_not_found', status: 404 });
    await expect(listSenderRequests({ db: t.db, actor: department.staff.actor })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await listSenderRequests({ db: t.db, actor: province.clerk.actor })).map((r) => r.id)).not.toContain(id);
    expect((await getIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId })).doc.status).toBe('received');
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '13' });
  });

  test('over HTTP: staff get 403, a second answer 409 with the current state, the clerk lists and answers', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v thử qua HTTP');
    await recallOutgoing({ db: t.db, actor: province.clerk.actor, id: outgoingId, reason: 'Thử HTTP' });
    const { client: staff } = await signedInClient(t.app, t.db, { agencyId: department.agency.id, roles: ['staff'] });
    const { client: clerk } = await signedInClient(t.app, t.db, { agencyId: department.agency.id, roles: ['clerk'] });
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
    const stillPending = (await clerk.get('/api/incoming/requests?status=pending')).body.data as unknown[];
    expect(((await clerk.get('/api/incoming/counts')).body.data as Counts).requests).toEqual({ count: stillPending.length });
  });
});

const registerBody = (subject: string, secrecy: 'thuong' | 'mat' = 'thuong') =>
  ZRegisterIncomingBody.parse({ issuerName: 'Ủy ban nhân dân tỉnh Thử', documentDate: '2026-12-01', typeCode: 'cong_van', subject, secrecy });
const register = (incomingId: string, subject: string, secrecy: 'thuong' | 'mat' = 'thuong') =>
  registerIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId, body: registerBody(subject, secrecy) });
const recall = (outgoingId: string, reason: string) => recallOutgoing({ db: t.db, actor: province.clerk.actor, id: outgoingId, reason });
const answer = async (incomingId: string, agree: boolean) =>
  answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: (await pendingFor(department, incomingId))?.id ?? '', agree, note: agree ? '' : 'Đã giao xử lý' });

describe('a pending recall holds the document where it is', () => {
  test('registering answers incoming.recall_pending with the sender\'s reason and takes no số đến; once the recall is refused the clerk registers it', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v giữ lại khi đang thu hồi');
    await recall(outgoingId, 'Sai số liệu phụ lục');
    await expect(register(incomingId, 'V/v giữ lại khi đang thu hồi'))
      .rejects.toMatchObject({ code: 'incoming.recall_pending', status: 409, details: { reason: 'Sai số liệu phụ lục' } });
    expect((await getIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId })).doc).toMatchObject({ status: 'received', arrivalNumber: null });
    await answer(incomingId, false);
    expect(await register(incomingId, 'V/v giữ lại khi đang thu hồi')).toMatchObject({ status: 'registered', arrivalNumber: expect.any(Number) });
  });

  test('forwarding, directing again and re-assigning inside a unit wait for the answer; a pending update request holds nothing', async () => {
    const unit = await makeUnit(t.db, department.agency.id);
    const head = await makeUser(t.db, { agencyId: department.agency.id, roles: ['unit_head'], unitId: unit.id });
    const officer = await makeUser(t.db, { agencyId: department.agency.id, roles: ['staff'], unitId: unit.id });
    const { outgoingId, incomingId } = await issuedToDepartment('V/v kế hoạch kiểm tra');
    await register(incomingId, 'V/v kế hoạch kiểm tra');
    await sendUpdate({ db: t.db, actor: province.clerk.actor, outgoingId, reason: 'Sửa hạn', dueDate: '2026-12-31' });
    const forward = () => forwardIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId, leaderId: department.leader.user.id });
    const direct = () => directIncoming({ db: t.db, actor: department.leader.actor, id: incomingId, body: ZDirectIncomingBody.parse({ direction: 'Giao phòng chủ trì', lead: { unitId: unit.id } }) });
    expect(await forward()).toMatchObject({ status: 'forwarded' });
    expect(await direct()).toMatchObject({ status: 'assigned' });
    await recall(outgoingId, 'Ban hành nhầm');
    const unitPart = (await getIncoming({ db: t.db, actor: head.actor, id: incomingId })).assignments.find((a) => a.unitId === unit.id);
    const reassign = () => reassignInUnit({ db: t.db, actor: head.actor, id: incomingId, body: ZReassignBody.parse({ assignmentId: unitPart?.id, users: [{ userId: officer.user.id, role: 'lead' }] }) });
    await expect(direct()).rejects.toMatchObject({ code: 'incoming.recall_pending' });
    await expect(reassign()).rejects.toMatchObject({ code: 'incoming.recall_pending' });
    await answer(incomingId, false);
    expect((await reassign()).status).toBe('assigned');

    const second = await issuedToDepartment('V/v trình sau khi trả lời thu hồi');
    await register(second.incomingId, 'V/v trình sau khi trả lời thu hồi');
    await recall(second.outgoingId, 'Nhầm nơi nhận');
    await expect(forwardIncoming({ db: t.db, actor: department.clerk.actor, id: second.incomingId, leaderId: department.leader.user.id }))
      .rejects.toMatchObject({ code: 'incoming.recall_pending' });
  });

  test('over HTTP the clerk reads why in Vietnamese, and the document page still offers the answer', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v thử giữ lại qua HTTP');
    await recall(outgoingId, 'Thay thế bằng văn bản khác');
    const { client: clerk } = await signedInClient(t.app, t.db, { agencyId: department.agency.id, roles: ['clerk'] });
    const res = await clerk.post(`/api/incoming/${incomingId}/register`, { issuerName: 'UBND tỉnh Thử', documentDate: '2026-12-01', typeCode: 'cong_van', subject: 'V/v thử' });
    expect([res.status, res.body.error?.code]).toEqual([409, 'incoming.recall_pending']);
    expect(res.body.error?.message).toContain('Hãy trả lời đề nghị thu hồi');
    const page = (await clerk.get(`/api/incoming/${incomingId}`)).body.data as { requests: { kind: string; status: string }[]; can: Record<string, boolean> };
    expect([page.requests[0], page.can['incoming.answer_request']]).toEqual([expect.objectContaining({ kind: 'recall', status: 'pending' }), true]);
  });
});

describe('who may list the requests', () => {
  test('the agency\'s admin lists them at GET /api/exchange/requests and /api/incoming/requests but cannot answer; staff get 403; another agency\'s admin sees none', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v quản trị xem đề nghị');
    await recall(outgoingId, 'Thử quản trị');
    const { client: admin } = await signedInClient(t.app, t.db, { agencyId: department.agency.id, roles: ['admin'] });
    const { client: staff } = await signedInClient(t.app, t.db, { agencyId: department.agency.id, roles: ['staff'] });
    const { client: otherAdmin } = await signedInClient(t.app, t.db, { agencyId: province.agency.id, roles: ['admin'] });
    const ids = async (client: typeof admin, path: string) => ((await client.get(path)).body.data as { incomingId: string }[]).map((r) => r.incomingId);
    expect(await ids(admin, '/api/exchange/requests?status=pending')).toContain(incomingId);
    expect(await ids(admin, '/api/incoming/requests')).toContain(incomingId);
    // who cannot answer gets no count of those waiting (the home page's tile and the list's tab are the answerers')
    expect(((await admin.get('/api/incoming/counts')).body.data as Counts).requests).toBeNull();
    const request = await pendingFor(department, incomingId);
    expect((await admin.post(`/api/exchange/requests/${request?.id}/answer`, { agree: true, note: '' })).status).toBe(403);
    expect((await staff.get('/api/exchange/requests')).status).toBe(403);
    expect(await ids(otherAdmin, '/api/exchange/requests')).not.toContain(incomingId);
    expect(await pendingFor(department, incomingId)).toMatchObject({ status: 'pending' });
  });

  test('a Mật document\'s request is listed to its participants only: the clerk who registered it, not the admin or a leader who takes no part', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v tài liệu mật thử');
    await register(incomingId, 'V/v tài liệu mật thử', 'mat');
    await recall(outgoingId, 'Thu hồi tài liệu mật');
    const listed = async (actor: typeof department.clerk.actor) => (await listSenderRequests({ db: t.db, actor })).map((r) => r.incomingId);
    expect(await listed(department.clerk.actor)).toContain(incomingId);
    expect(await listed(department.admin.actor)).not.toContain(incomingId);
    expect(await listed(department.leader.actor)).not.toContain(incomingId);
    const pendingSeen = async (actor: typeof department.clerk.actor) => (await listSenderRequests({ db: t.db, actor, status: 'pending' })).length;
    for (const actor of [department.clerk.actor, department.leader.actor]) expect(await pendingCount(actor)).toBe(await pendingSeen(actor));
    const told = async (actor: typeof department.clerk.actor) => (await listNotices({ db: t.db, actor })).some((n) => n.incomingId === incomingId && n.kind === 'request');
    expect([await told(department.clerk.actor), await told(department.leader.actor)]).toEqual([true, false]);
  });
});

// A sender's update request still waiting when the document leaves the recipient's work (its recall agreed, or
// a replacement issued) has nothing left to update: it is answered 16 then, and nobody may agree it afterwards.
// A recall still waiting when a replacement takes the document out got what it asked for: it is agreed (15).
// Returning the document to its sender (02) leaves nothing to update either: its update requests are answered 16,
// and a recall still waiting got what it asked for: the system agrees it (15).
describe('an update request still waiting when the document is taken out', () => {
  const askUpdate = (outgoingId: string) =>
    sendUpdate({ db: t.db, actor: province.clerk.actor, outgoingId, reason: 'Sửa trích yếu', subject: 'V/v trích yếu đã sửa', dueDate: '2026-12-31' });
  const requestOf = async (incomingId: string, kind: 'recall' | 'update') =>
    (await listSenderRequests({ db: t.db, actor: department.clerk.actor })).find((r) => r.incomingId === incomingId && r.kind === kind);
  /** The unread notices of one request, whoever they were sent to. */
  const noticesOf = async (requestId: string) =>
    t.db.selectFrom('incomingNotice').select('userId').where('exchangeRequestId', '=', requestId).where('readAt', 'is', null).execute();
  const docOf = async (incomingId: string) => (await getIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId })).doc;

  test('agreeing to the sender\'s recall answers it 16 («văn bản đã được thu hồi»), its notices go, the subject stays; the sender\'s last answer is the recall\'s 15', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v trích yếu ban đầu');
    await askUpdate(outgoingId);
    const update = await requestOf(incomingId, 'update');
    expect((await noticesOf(update?.id ?? '')).length).toBeGreaterThan(0);
    await recall(outgoingId, 'Ban hành sai thẩm quyền');
    const pendingBefore = await pendingCount(department.clerk.actor);

    await answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: (await requestOf(incomingId, 'recall'))?.id ?? '', agree: true, note: '' });

    expect(await requestOf(incomingId, 'update')).toMatchObject({
      status: 'refused', answerNote: 'Văn bản đã được thu hồi theo đề nghị của cơ quan gửi', answeredByName: department.clerk.user.fullName,
    });
    expect(await pendingCount(department.clerk.actor)).toBe(pendingBefore - 2);
    expect(await noticesOf(update?.id ?? '')).toEqual([]);
    expect(await docOf(incomingId)).toMatchObject({ status: 'recalled', subject: 'V/v trích yếu ban đầu', dueDate: null });
    expect((await eventsOf(outgoingId)).slice(-2)).toEqual([
      { code: '16', description: 'Từ chối cập nhật: Văn bản đã được thu hồi theo đề nghị của cơ quan gửi' }, { code: '15', description: 'Đồng ý thu hồi' },
    ]);
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '15' });
    const audits = await t.db.selectFrom('auditLog').select('data').where('entityId', '=', incomingId).where('type', '=', 'EXCHANGE_REQUEST_ANSWERED').orderBy('id').execute();
    expect(audits.map((a) => a.data)).toEqual([
      { requestId: update?.id, kind: 'update', agree: false, note: 'Văn bản đã được thu hồi theo đề nghị của cơ quan gửi', automatic: true },
      expect.objectContaining({ kind: 'recall', agree: true }),
    ]);

    // answered already: agreeing now is a 409 with the current state, and nothing changes
    await expect(answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: update?.id ?? '', agree: true, note: '' }))
      .rejects.toMatchObject({ code: 'incoming.request_answered', status: 409, details: { status: 'refused' } });
    expect((await docOf(incomingId)).subject).toBe('V/v trích yếu ban đầu');
  });

  test('a replacement issued by the sender answers it 16 («văn bản đã được thay thế») for no one in particular, on the replaced document\'s timeline', async () => {
    const old = await issuedToDepartment('V/v kế hoạch (bản cũ)');
    await askUpdate(old.outgoingId);
    const update = await requestOf(old.incomingId, 'update');

    await issuedToDepartment('V/v kế hoạch (bản thay thế)', old.outgoingId);

    expect(await requestOf(old.incomingId, 'update')).toMatchObject({ status: 'refused', answerNote: 'Văn bản đã được thay thế bằng văn bản khác', answeredByName: null });
    expect(await noticesOf(update?.id ?? '')).toEqual([]);
    expect(await docOf(old.incomingId)).toMatchObject({ status: 'recalled', subject: 'V/v kế hoạch (bản cũ)' });
    expect((await eventsOf(old.outgoingId)).at(-1)).toEqual({ code: '16', description: 'Từ chối cập nhật: Văn bản đã được thay thế bằng văn bản khác' });
    expect(await recipientOf(old.outgoingId)).toMatchObject({ recallCode: '16' });
  });

  test('a replacement also settles a recall still waiting: the system agrees it (15 «văn bản đã được thay thế») after the update\'s 16, its notices go, and the sender\'s last answer is that 15', async () => {
    const old = await issuedToDepartment('V/v lịch tiếp công dân (bản cũ)');
    await askUpdate(old.outgoingId);
    await recall(old.outgoingId, 'Sai lịch tiếp công dân');
    const recallRequest = await requestOf(old.incomingId, 'recall');
    expect((await noticesOf(recallRequest?.id ?? '')).length).toBeGreaterThan(0);
    const pendingBefore = await pendingCount(department.clerk.actor);

    // A sender through the axis may replace a document it asked to recall (this install's own flow replaces only
    // issued ones): its BussinessDocType 3 package takes the old copy out as the connector does.
    const replacement = await issuedToDepartment('V/v lịch tiếp công dân (bản thay thế)');
    await t.db.transaction().execute((tx) => takeOutReplaced(tx, { incomingId: old.incomingId, byIncomingId: replacement.incomingId }));

    expect(await requestOf(old.incomingId, 'recall')).toMatchObject({ status: 'agreed', answerNote: 'Văn bản đã được thay thế bằng văn bản khác', answeredByName: null });
    expect(await requestOf(old.incomingId, 'update')).toMatchObject({ status: 'refused', answerNote: 'Văn bản đã được thay thế bằng văn bản khác' });
    expect(await pendingCount(department.clerk.actor)).toBe(pendingBefore - 2);
    expect(await noticesOf(recallRequest?.id ?? '')).toEqual([]);
    expect(await docOf(old.incomingId)).toMatchObject({ status: 'recalled' });
    expect((await eventsOf(old.outgoingId)).slice(-2)).toEqual([
      { code: '16', description: 'Từ chối cập nhật: Văn bản đã được thay thế bằng văn bản khác' },
      { code: '15', description: 'Đồng ý thu hồi: Văn bản đã được thay thế bằng văn bản khác' },
    ]);
    expect(await recipientOf(old.outgoingId)).toMatchObject({ recallCode: '15' });
    const audits = await t.db.selectFrom('auditLog').select('data').where('entityId', '=', old.incomingId).where('type', '=', 'EXCHANGE_REQUEST_ANSWERED').orderBy('id').execute();
    expect(audits.map((a) => a.data)).toEqual([
      expect.objectContaining({ kind: 'update', agree: false, automatic: true }),
      { requestId: recallRequest?.id, kind: 'recall', agree: true, note: 'Văn bản đã được thay thế bằng văn bản khác', automatic: true },
    ]);
    // answered already: the clerk's late refusal is a 409, and the sender keeps the 15
    await expect(answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: recallRequest?.id ?? '', agree: false, note: '' }))
      .rejects.toMatchObject({ code: 'incoming.request_answered', status: 409, details: { status: 'agreed' } });
    expect(await recipientOf(old.outgoingId)).toMatchObject({ recallCode: '15' });
  });

  test('returning the document to its sender (02) answers it 16 («văn bản đã được trả lại») in the clerk\'s name, its notices go; agreeing afterwards is a 409 and changes nothing', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v gửi nhầm nơi nhận');
    await askUpdate(outgoingId);
    const update = await requestOf(incomingId, 'update');
    expect((await noticesOf(update?.id ?? '')).length).toBeGreaterThan(0);

    await refuseIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId, reason: 'Không thuộc thẩm quyền của Sở' });

    expect(await requestOf(incomingId, 'update')).toMatchObject({ status: 'refused', answerNote: 'Văn bản đã được trả lại cơ quan gửi', answeredByName: department.clerk.user.fullName });
    expect(await noticesOf(update?.id ?? '')).toEqual([]);
    expect((await eventsOf(outgoingId)).slice(-2)).toEqual([
      { code: '02', description: 'Không thuộc thẩm quyền của Sở' }, { code: '16', description: 'Từ chối cập nhật: Văn bản đã được trả lại cơ quan gửi' },
    ]);
    expect(await recipientOf(outgoingId)).toMatchObject({ statusCode: '02', recallCode: '16' });
    await expect(answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: update?.id ?? '', agree: true, note: '' }))
      .rejects.toMatchObject({ code: 'incoming.request_answered', status: 409, details: { status: 'refused' } });
    expect(await docOf(incomingId)).toMatchObject({ status: 'refused', subject: 'V/v gửi nhầm nơi nhận', dueDate: null });
  });

  test('returning the document (02) with a recall still waiting: the system agrees the recall (15 «văn bản đã được trả lại») after the 02 and the update\'s 16, its notices go, and the sender\'s last answer is that 15', async () => {
    const { outgoingId, incomingId } = await issuedToDepartment('V/v gửi nhầm nơi nhận (đang đề nghị thu hồi)');
    await askUpdate(outgoingId);
    await recall(outgoingId, 'Gửi nhầm nơi nhận');
    const recallRequest = await requestOf(incomingId, 'recall');
    expect((await noticesOf(recallRequest?.id ?? '')).length).toBeGreaterThan(0);
    const pendingBefore = await pendingCount(department.clerk.actor);

    await refuseIncoming({ db: t.db, actor: department.clerk.actor, id: incomingId, reason: 'Không thuộc thẩm quyền của Sở' });

    expect(await requestOf(incomingId, 'recall')).toMatchObject({ status: 'agreed', answerNote: 'Văn bản đã được trả lại cơ quan gửi', answeredByName: null });
    expect(await requestOf(incomingId, 'update')).toMatchObject({ status: 'refused', answeredByName: department.clerk.user.fullName });
    expect(await pendingCount(department.clerk.actor)).toBe(pendingBefore - 2);
    expect(await noticesOf(recallRequest?.id ?? '')).toEqual([]);
    expect(await docOf(incomingId)).toMatchObject({ status: 'refused' });
    expect((await eventsOf(outgoingId)).slice(-3)).toEqual([
      { code: '02', description: 'Không thuộc thẩm quyền của Sở' },
      { code: '16', description: 'Từ chối cập nhật: Văn bản đã được trả lại cơ quan gửi' },
      { code: '15', description: 'Đồng ý thu hồi: Văn bản đã được trả lại cơ quan gửi' },
    ]);
    expect(await recipientOf(outgoingId)).toMatchObject({ statusCode: '02', recallCode: '15' });
    const audits = await t.db.selectFrom('auditLog').select('data').where('entityId', '=', incomingId).where('type', '=', 'EXCHANGE_REQUEST_ANSWERED').orderBy('id').execute();
    expect(audits.map((a) => a.data)).toEqual([
      expect.objectContaining({ kind: 'update', agree: false, automatic: true }),
      { requestId: recallRequest?.id, kind: 'recall', agree: true, note: 'Văn bản đã được trả lại cơ quan gửi', automatic: true },
    ]);
    // answered already: the clerk's late refusal is a 409, and the sender keeps the 15
    await expect(answerSenderRequest({ db: t.db, actor: department.clerk.actor, id: recallRequest?.id ?? '', agree: false, note: '' }))
      .rejects.toMatchObject({ code: 'incoming.request_answered', status: 409, details: { status: 'agreed' } });
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '15' });
  });

  // as a recall agreed, or a return, before update requests were answered with it left the data
  test.each([
    { status: 'recalled', code: 'incoming.request_document_recalled', message: 'Văn bản đã được thu hồi hoặc thay thế nên không cập nhật theo đề nghị được nữa.' },
    { status: 'refused', code: 'incoming.request_document_returned', message: 'Văn bản đã được trả lại cơ quan gửi nên không cập nhật theo đề nghị được nữa.' },
  ] as const)('one left waiting on a $status document (before this rule): agreeing is refused with $code and changes nothing; refusing answers the sender 16', async ({ status, code, message }) => {
    const { outgoingId, incomingId } = await issuedToDepartment(`V/v đề nghị cũ còn chờ (${status})`);
    await askUpdate(outgoingId);
    await t.db.updateTable('incomingDocument').set({ status }).where('id', '=', incomingId).execute();
    const update = await requestOf(incomingId, 'update');
    const { client: clerk } = await signedInClient(t.app, t.db, { agencyId: department.agency.id, roles: ['clerk'] });

    const agreed = await clerk.post(`/api/incoming/requests/${update?.id}/answer`, { agree: true, note: '' });
    expect([agreed.status, agreed.body.error?.code]).toEqual([409, code]);
    expect(agreed.body.error?.message).toBe(`${message} Hãy từ chối đề nghị cập nhật để cơ quan gửi nhận được trả lời.`);
    expect(await docOf(incomingId)).toMatchObject({ subject: `V/v đề nghị cũ còn chờ (${status})`, dueDate: null });
    expect(await requestOf(incomingId, 'update')).toMatchObject({ status: 'pending' });
    expect(await recipientOf(outgoingId)).toMatchObject({ recallCode: '13' });

    const refused = await clerk.post(`/api/incoming/requests/${update?.id}/answer`, { agree: false, note: 'Văn bản không còn xử lý ở đây' });
    expect(refused.body.data).toMatchObject({ status: 'refused' });
    expect((await eventsOf(outgoingId)).at(-1)).toEqual({ code: '16', description: 'Từ chối cập nhật: Văn bản không còn xử lý ở đây' });
    expect(await noticesOf(update?.id ?? '')).toEqual([]);
  });
});
