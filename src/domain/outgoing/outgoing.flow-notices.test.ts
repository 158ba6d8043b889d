import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { draftOverHttp as draft, makeAgencyWithOffice, type OfficeWorld } from './outgoing.testing.ts';

const t = useTestApp({ demo: true });

/** The unread notices about a document, whoever they are to: [addressee, kind]. */
const pending = async (id: string) =>
  (await t.db.selectFrom('incomingNotice').select(['userId', 'kind', 'message']).where('outgoingId', '=', id).where('readAt', 'is', null).orderBy('id').execute());
const who = async (id: string) => (await pending(id)).map((n) => [n.userId, n.kind]);
/** The mails queued to some people (the database is shared by the tests of this file). */
const mailsTo = async (...people: { user: { email: string | null } }[]) =>
  (await t.db.selectFrom('job').select('payload').where('type', '=', 'mail.send').execute()).map((j) => j.payload as { to: string; subject: string; text: string })
    .filter((m) => people.some((p) => p.user.email === m.to));

/** The office agency with two reviewers (the unit head, then the Văn phòng's deputy head) and a second clerk. */
async function world() {
  const w = await makeAgencyWithOffice(t.app, t.db);
  const [head, checker, clerk2] = await Promise.all([
    signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: w.office.id, roles: ['unit_head'], fullName: 'Trần Văn Hùng' }),
    signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: w.office.id, roles: ['staff'], fullName: 'Lê Thị Mai' }),
    signedInClient(t.app, t.db, { agencyId: w.agency.id, roles: ['clerk'] }),
  ]);
  return { ...w, head, checker, clerk2 };
}

async function withFile(w: OfficeWorld, body: Record<string, unknown> = {}) {
  const id = await draft(w, { subject: 'Kế hoạch chuyển đổi số năm 2027', ...body });
  expect((await w.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
  return id;
}

describe('notices along an outgoing document’s way to issue', () => {
  test('each desk it lands on is told once, with its trích yếu; the one who acts is not; each notice is taken back when answered', async () => {
    const w = await world();
    const id = await withFile(w);
    const submit = await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [w.head.user.id, w.checker.user.id] });
    expect(submit.status).toBe(200);
    expect(await pending(id)).toEqual([{ userId: w.head.user.id, kind: 'review_requested', message: `Dự thảo chờ đồng chí duyệt: “Kế hoạch chuyển đổi số năm 2027” (${w.staff.user.fullName} trình)` }]);

    expect((await w.head.client.post(`/api/outgoing/${id}/review`, { action: 'approve', comment: '' })).status).toBe(200);
    expect(await who(id)).toEqual([[w.checker.user.id, 'review_requested']]);

    expect((await w.checker.client.post(`/api/outgoing/${id}/review`, { action: 'return', comment: 'Sửa căn cứ', page: 1 })).status).toBe(200);
    expect(await pending(id)).toEqual([{ userId: w.staff.user.id, kind: 'draft_returned', message: 'Dự thảo bị trả lại, cần sửa: “Kế hoạch chuyển đổi số năm 2027” (Lê Thị Mai trả lại, xem ý kiến trong văn bản)' }]);

    // straight to the signer this time
    expect((await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] })).status).toBe(200);
    expect(await who(id)).toEqual([[w.leader.user.id, 'signature_requested']]);

    expect((await w.leader.client.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN })).body.data).toEqual([expect.objectContaining({ ok: true })]);
    const toIssue = await pending(id);
    expect(toIssue.map((n) => [n.userId, n.kind]).sort()).toEqual([[w.clerk.user.id, 'issue_requested'], [w.clerk2.user.id, 'issue_requested']].sort());
    expect(toIssue[0]?.message).toBe(`Văn bản đã ký, chờ cấp số và phát hành: “Kế hoạch chuyển đổi số năm 2027” (${w.leader.user.fullName} ký)`);

    expect((await w.clerk.client.post(`/api/outgoing/${id}/issue`, {})).status).toBe(200);
    expect(await pending(id)).toEqual([]);
    // nobody was told of their own action, and no notice of this flow went by mail (not urgent)
    const kinds = await t.db.selectFrom('incomingNotice').select(['userId', 'kind']).where('outgoingId', '=', id).execute();
    expect(kinds).toHaveLength(6);
    expect(await mailsTo(w.head, w.checker, w.staff, w.leader, w.clerk, w.clerk2)).toEqual([]);
  });

  test('the bell shows the notice with its link to the document', async () => {
    const w = await world();
    const id = await withFile(w);
    await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [w.head.user.id] });
    const bell = (await w.head.client.get('/api/notices')).body.data as { kind: string; outgoingId: string; readAt: string | null }[];
    expect(bell).toEqual([expect.objectContaining({ kind: 'review_requested', outgoingId: id, readAt: null })]);
  });

  test('a disabled clerk is told nothing; a signer who is also a clerk is not told of their own signature', async () => {
    const w = await world();
    await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', w.clerk2.user.id).execute();
    const signerClerk = await signedInClient(t.app, t.db, { agencyId: w.agency.id, roles: ['leader', 'clerk'] });
    const id = await withFile(w, { signerId: signerClerk.user.id });
    await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] });
    expect(await who(id)).toEqual([[signerClerk.user.id, 'signature_requested']]);
    expect((await signerClerk.client.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN })).body.data).toEqual([expect.objectContaining({ ok: true })]);
    expect(await who(id)).toEqual([[w.clerk.user.id, 'issue_requested']]);
  });

  test('sent back by the clerk before issuing: the clerks’ notices go, the drafter is told who sent it back; cancelling the draft takes that back too', async () => {
    const w = await world();
    const id = await withFile(w);
    await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] });
    await w.leader.client.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN });
    expect((await w.clerk2.client.post(`/api/outgoing/${id}/return`, { comment: 'Thiếu nơi nhận', page: null })).status).toBe(200);
    expect(await pending(id)).toEqual([expect.objectContaining({ userId: w.staff.user.id, kind: 'draft_returned', message: expect.stringContaining(`(${w.clerk2.user.fullName} trả lại`) })]);
    expect((await w.staff.client.post(`/api/outgoing/${id}/cancel`, {})).status).toBe(200);
    expect(await pending(id)).toEqual([]);
  });

  test('the signer sending it back withdraws their own «chờ ký»; a reviewer forwarding hands the notice on', async () => {
    const w = await world();
    const id = await withFile(w);
    await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [w.head.user.id] });
    expect((await w.head.client.post(`/api/outgoing/${id}/review`, { action: 'forward', toUserId: w.checker.user.id, comment: 'Nhờ kiểm tra thể thức' })).status).toBe(200);
    expect(await who(id)).toEqual([[w.checker.user.id, 'review_requested']]);
    await w.checker.client.post(`/api/outgoing/${id}/review`, { action: 'approve', comment: '' });
    expect(await who(id)).toEqual([[w.leader.user.id, 'signature_requested']]);
    expect((await w.leader.client.post(`/api/outgoing/${id}/return`, { comment: 'Chưa đủ căn cứ', page: null })).status).toBe(200);
    expect(await who(id)).toEqual([[w.staff.user.id, 'draft_returned']]);
  });

  test('a deputy signing for the signer today (KT.) is told too, in those words; a deputy whose account was disabled is not; the signature takes back both', async () => {
    const w = await world();
    const today = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const [deputy, gone] = await Promise.all([
      signedInClient(t.app, t.db, { agencyId: w.agency.id, roles: ['leader'], fullName: 'Lê Thị Thu' }),
      signedInClient(t.app, t.db, { agencyId: w.agency.id, roles: ['leader'] }),
    ]);
    for (const d of [deputy, gone]) expect((await w.leader.client.post('/api/outgoing/delegations', { toUserId: d.user.id, startsOn: today, endsOn: '2099-12-31' })).status).toBe(201);
    await t.db.updateTable('appUser').set({ isActive: false }).where('id', '=', gone.user.id).execute();
    const id = await withFile(w);
    await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] });
    const told = await pending(id);
    expect(told.map((n) => n.userId).sort()).toEqual([w.leader.user.id, deputy.user.id].sort());
    expect(told.find((n) => n.userId === deputy.user.id)?.message).toBe(`Văn bản chờ đồng chí ký thay (KT.) ${w.leader.user.fullName}: “Kế hoạch chuyển đổi số năm 2027” (${w.staff.user.fullName} trình)`);
    expect((await deputy.client.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN })).body.data).toEqual([expect.objectContaining({ ok: true })]);
    expect((await pending(id)).map((n) => n.kind)).toEqual(['issue_requested', 'issue_requested']);
  });

  test('an urgent draft is also mailed to the desk it lands on, with the link; a Mật one never names its trích yếu', async () => {
    const w = await world();
    const urgent = await withFile(w, { urgency: 'hoa_toc' });
    await w.staff.client.post(`/api/outgoing/${urgent}/submit`, { reviewerIds: [w.head.user.id] });
    expect(await mailsTo(w.head, w.staff)).toEqual([expect.objectContaining({ to: w.head.user.email, subject: '[HỎA TỐC] Văn bản đi: dự thảo chờ duyệt', text: expect.stringContaining(`/outgoing/${urgent}`) })]);
    expect((await pending(urgent))[0]?.message).toMatch(/^\[HỎA TỐC\] Dự thảo chờ đồng chí duyệt/);

    const secret = await withFile(w, { secrecy: 'mat', subject: 'Phương án bảo vệ mục tiêu', participantIds: [w.clerk.user.id] });
    await w.staff.client.post(`/api/outgoing/${secret}/submit`, { reviewerIds: [] });
    expect((await pending(secret))[0]?.message).toBe(`Văn bản chờ đồng chí ký: văn bản Mật (${w.staff.user.fullName} trình)`);
    await w.leader.client.post('/api/outgoing/sign', { ids: [secret], pin: DEMO_SIGNING_PIN });
    // only the clerk it names as a participant may open it, so only she is told
    expect(await who(secret)).toEqual([[w.clerk.user.id, 'issue_requested']]);
  });
});
