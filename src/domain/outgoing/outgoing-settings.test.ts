import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { storeUpload } from '../files/files.service.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { applyRecipientStatus, createDraft, listOutgoing } from './outgoing.service.ts';
import { currentMain, uploadVersion } from './outgoing-files.service.ts';
import { findAnchor } from '../signing/appearance/appearance.anchor.ts';
import { proposedChain, readReviewChain, removeTypeChain, reviewOutgoing, saveReviewChain, submitForReview } from './outgoing-review.service.ts';
import { createDelegation, revokeDelegation, signApproval } from './outgoing-signing.service.ts';
import { competenceOf, issueOutgoing } from './outgoing-issue.service.ts';
import { recallOutgoing, updateOutgoing } from './outgoing-recall.service.ts';
import { refuseIncoming } from '../incoming/incoming.service.ts';
import { answerSenderRequest, listSenderRequests } from '../incoming/incoming-requests.service.ts';
import { outgoingDetail, presentList } from './outgoing.present.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import { buildSampleDraft } from './outgoing.sample.ts';
import { buildPackage } from '../exchange/connector/connector.packages.ts';
import { parseEdxml } from '../exchange/edxml/edxml.parse.ts';

const t = useTestApp({ demo: true });
let w: Awaited<ReturnType<typeof makeWorld>>;
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());

async function makeWorld() {
  const db = t.db;
  const agency = await makeAgency(db, { shortName: 'UBND', name: 'Ủy ban nhân dân tỉnh Cài Đặt' });
  const other = await makeAgency(db, { shortName: 'SNV', name: 'Sở Nội vụ tỉnh Cài Đặt', parentId: agency.id, level: 'department' });
  const stranger = await makeAgency(db, { shortName: 'UBND', name: 'Một tỉnh khác' });
  const unit = await makeUnit(db, agency.id, 'Phòng Tổng hợp');
  const office = await makeUnit(db, agency.id, 'Văn phòng');
  const foreignUnit = await makeUnit(db, stranger.id, 'Phòng của tỉnh khác');
  const named = async (u: Awaited<ReturnType<typeof makeUser>>, fullName: string, position: string) => {
    await db.updateTable('appUser').set({ fullName, position }).where('id', '=', u.user.id).execute();
    return { ...u, user: { ...u.user, fullName, position }, actor: { ...u.actor, fullName } };
  };
  const staff = await named(await makeUser(db, { agencyId: agency.id, unitId: unit.id, roles: ['staff'] }), 'Hoàng Văn Nam', 'Chuyên viên');
  const head = await named(await makeUser(db, { agencyId: agency.id, unitId: unit.id, roles: ['unit_head'] }), 'Phạm Quốc Huy', 'Trưởng phòng');
  const officeHead = await named(await makeUser(db, { agencyId: agency.id, unitId: office.id, roles: ['unit_head'] }), 'Đinh Chánh Văn', 'Chánh Văn phòng');
  const leader = await named(await makeUser(db, { agencyId: agency.id, roles: ['leader'] }), 'Trần Văn Minh', 'Chủ tịch');
  const deputy = await named(await makeUser(db, { agencyId: agency.id, roles: ['leader'] }), 'Lê Thị Thu', 'Phó Chủ tịch');
  const clerk = await makeUser(db, { agencyId: agency.id, roles: ['clerk'] });
  const admin = await makeUser(db, { agencyId: agency.id, roles: ['admin'] });
  const otherClerk = await makeUser(db, { agencyId: other.id, roles: ['clerk'] });
  const foreignAdmin = await makeUser(db, { agencyId: stranger.id, roles: ['admin'] });
  return { agency, other, unit, office, foreignUnit, staff, head, officeHead, leader, deputy, clerk, admin, otherClerk, foreignAdmin };
}

async function draft(subject: string, o: { replacesId?: string; typeCode?: 'cong_van' | 'quyet_dinh' } = {}) {
  const doc = await createDraft({ db: t.db, actor: w.staff.actor, body: {
    typeCode: o.typeCode ?? 'cong_van', subject, urgency: 'thuong', secrecy: 'thuong', signerId: w.leader.user.id, signerCompetence: null, signerPosition: 'Chủ tịch',
    recipients: [{ kind: 'agency', agencyId: w.other.id }, { kind: 'external', agencyCode: '000.00.99.G01', name: 'Bộ Thử nghiệm' }, { kind: 'unit', unitId: w.office.id }],
    recipientsText: '- Sở Nội vụ;\n- Lưu: VT.', archiveNote: 'VT', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: o.replacesId ?? null,
  } });
  const pdf = await buildSampleDraft({ agencyName: w.agency.name, notation: 'UBND-TH', typeName: null, subject, body: ['Nội dung.'], recipients: ['Như trên'], competence: null, position: 'Chủ tịch', signerName: w.leader.user.fullName });
  await uploadVersion({ db: t.db, deps: t.deps, actor: w.staff.actor, id: doc.id, main: await storeUpload(t.deps, { source: pdf, fileName: 'du-thao.pdf' }), appendices: [] });
  return doc;
}

async function issued(subject: string, o: { replacesId?: string } = {}) {
  const doc = await draft(subject, o);
  await submitForReview({ db: t.db, actor: w.staff.actor, id: doc.id, reviewerIds: [] });
  expect((await signApproval({ db: t.db, deps: t.deps, actor: w.leader.actor, ids: [doc.id], pin: DEMO_SIGNING_PIN }))[0]).toMatchObject({ ok: true });
  return (await issueOutgoing({ db: t.db, deps: t.deps, actor: w.clerk.actor, id: doc.id })).doc;
}

beforeAll(async () => {
  w = await makeWorld();
});

describe('review chain configured per agency and adjusted per document', () => {
  test('without a configured chain a draft goes to the head of the drafting unit', async () => {
    expect(await readReviewChain({ db: t.db, actor: w.admin.actor })).toEqual({ steps: [{ kind: 'drafting_unit_head' }], byType: [] });
    const doc = await draft('Chuỗi mặc định');
    expect((await proposedChain({ db: t.db, actor: w.staff.actor, id: doc.id })).map((p) => p.fullName)).toEqual(['Phạm Quốc Huy']);
  });

  test('only the agency admin reads or saves the chain; a unit or person of another agency is refused', async () => {
    await expect(saveReviewChain({ db: t.db, actor: w.leader.actor, steps: [] })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(readReviewChain({ db: t.db, actor: w.staff.actor })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(saveReviewChain({ db: t.db, actor: w.admin.actor, steps: [{ kind: 'unit_head', unitId: w.foreignUnit.id }] })).rejects.toMatchObject({ code: 'outgoing.bad_unit' });
    await expect(saveReviewChain({ db: t.db, actor: w.admin.actor, steps: [{ kind: 'user', userId: w.foreignAdmin.user.id }] })).rejects.toMatchObject({ code: 'outgoing.bad_user' });
    // Another agency's admin edits its own chain, never this one.
    await saveReviewChain({ db: t.db, actor: w.foreignAdmin.actor, steps: [] });
    expect((await readReviewChain({ db: t.db, actor: w.admin.actor })).steps).toEqual([{ kind: 'drafting_unit_head' }]);
  });

  test('the admin orders the steps (unit head, then the Văn phòng, then a person); the drafter sees it resolved and may change it for one document', async () => {
    const steps = [{ kind: 'drafting_unit_head' as const }, { kind: 'unit_head' as const, unitId: w.office.id }, { kind: 'user' as const, userId: w.deputy.user.id }];
    await saveReviewChain({ db: t.db, actor: w.admin.actor, steps });
    expect((await readReviewChain({ db: t.db, actor: w.admin.actor })).steps).toEqual(steps);
    const doc = await draft('Chuỗi ba bước');
    const proposed = await proposedChain({ db: t.db, actor: w.staff.actor, id: doc.id });
    expect(proposed.map((p) => `${p.fullName} (${p.unitName ?? ''})`)).toEqual(['Phạm Quốc Huy (Phòng Tổng hợp)', 'Đinh Chánh Văn (Văn phòng)', 'Lê Thị Thu ()']);
    await expect(proposedChain({ db: t.db, actor: w.head.actor, id: doc.id })).rejects.toMatchObject({ status: 404 });

    const submitted = await submitForReview({ db: t.db, actor: w.staff.actor, id: doc.id });
    expect(submitted?.status).toBe('in_review');
    expect((await outgoingRepo.listSteps(t.db, doc.id)).map((s) => s.reviewerId)).toEqual([w.head.user.id, w.officeHead.user.id, w.deputy.user.id]);
    await expect(proposedChain({ db: t.db, actor: w.staff.actor, id: doc.id })).rejects.toMatchObject({ code: 'outgoing.bad_status' });

    // Adjusted for this document: the Văn phòng first, the unit head second, nobody else.
    const adjusted = await draft('Chuỗi điều chỉnh');
    await submitForReview({ db: t.db, actor: w.staff.actor, id: adjusted.id, reviewerIds: [w.officeHead.user.id, w.head.user.id] });
    expect((await outgoingRepo.listSteps(t.db, adjusted.id)).map((s) => s.reviewerId)).toEqual([w.officeHead.user.id, w.head.user.id]);
    await reviewOutgoing({ db: t.db, actor: w.officeHead.actor, id: adjusted.id, body: { action: 'approve', comment: '' } });
    await expect(reviewOutgoing({ db: t.db, actor: w.officeHead.actor, id: adjusted.id, body: { action: 'approve', comment: '' } })).rejects.toMatchObject({ code: 'forbidden' });
    await saveReviewChain({ db: t.db, actor: w.admin.actor, steps: [] });
  });

  test('a document type may have its own chain; the others follow the general one; removing it falls back', async () => {
    const db = t.db;
    await saveReviewChain({ db, actor: w.admin.actor, steps: [{ kind: 'drafting_unit_head' }] });
    await saveReviewChain({ db, actor: w.admin.actor, typeCode: 'quyet_dinh', steps: [{ kind: 'drafting_unit_head' }, { kind: 'unit_head', unitId: w.office.id }] });
    expect(await readReviewChain({ db, actor: w.admin.actor })).toEqual({ steps: [{ kind: 'drafting_unit_head' }], byType: [{ typeCode: 'quyet_dinh', steps: [{ kind: 'drafting_unit_head' }, { kind: 'unit_head', unitId: w.office.id }] }] });
    const decision = await draft('Quyết định qua Văn phòng', { typeCode: 'quyet_dinh' });
    const letter = await draft('Công văn theo chuỗi chung');
    expect((await proposedChain({ db, actor: w.staff.actor, id: decision.id })).map((p) => p.fullName)).toEqual(['Phạm Quốc Huy', 'Đinh Chánh Văn']);
    expect((await proposedChain({ db, actor: w.staff.actor, id: letter.id })).map((p) => p.fullName)).toEqual(['Phạm Quốc Huy']);
    await expect(removeTypeChain({ db, actor: w.leader.actor, typeCode: 'quyet_dinh' })).rejects.toMatchObject({ code: 'forbidden' });
    await removeTypeChain({ db, actor: w.admin.actor, typeCode: 'quyet_dinh' });
    await expect(removeTypeChain({ db, actor: w.admin.actor, typeCode: 'quyet_dinh' })).rejects.toMatchObject({ code: 'outgoing.not_found' });
    expect((await proposedChain({ db, actor: w.staff.actor, id: decision.id })).map((p) => p.fullName)).toEqual(['Phạm Quốc Huy']);
  });
});

describe('delegation of the approval signature (ký thay)', () => {
  test('a deputy signs for the leader inside the date range; the document shows KT. and both names; revoking ends it', async () => {
    const db = t.db;
    await expect(createDelegation({ db, actor: w.staff.actor, toUserId: w.deputy.user.id, startsOn: today(), endsOn: today() })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createDelegation({ db, actor: w.leader.actor, toUserId: w.head.user.id, startsOn: today(), endsOn: today() })).rejects.toMatchObject({ code: 'outgoing.bad_delegation' });
    await expect(createDelegation({ db, actor: w.leader.actor, toUserId: w.deputy.user.id, startsOn: '2026-12-10', endsOn: '2026-12-01' })).rejects.toMatchObject({ code: 'outgoing.bad_delegation' });
    const doc = await draft('Ký thay khi lãnh đạo đi công tác');
    await submitForReview({ db, actor: w.staff.actor, id: doc.id, reviewerIds: [] });
    expect((await listOutgoing({ db, actor: w.deputy.actor, query: { box: 'signature', limit: 50, offset: 0 } })).map((d) => d.id)).not.toContain(doc.id);

    const delegation = await createDelegation({ db, actor: w.leader.actor, toUserId: w.deputy.user.id, startsOn: today(), endsOn: '2099-12-31' });
    // The same deputy again for days that meet it would only duplicate it: refused, naming the dates in force.
    await expect(createDelegation({ db, actor: w.leader.actor, toUserId: w.deputy.user.id, startsOn: '2099-12-31', endsOn: '2100-01-15' }))
      .rejects.toMatchObject({ code: 'outgoing.delegation_overlap', message: expect.stringContaining('đến hết ngày 31/12/2099') });
    // The deputy is told at once, by mail (the mail job), with the dates as dd/MM/yyyy.
    const mails = (await db.selectFrom('job').select('payload').where('type', '=', 'mail.send').execute()).map((j) => (typeof j.payload === 'string' ? JSON.parse(j.payload) : j.payload) as { to: string; subject: string; text: string });
    expect(mails.filter((m) => m.to === w.deputy.user.email)).toEqual([expect.objectContaining({ subject: 'Ủy quyền ký thay (KT.) từ Trần Văn Minh', text: expect.stringContaining('đến hết ngày 31/12/2099') })]);
    expect(await outgoingRepo.listDelegations(db, w.deputy.user.id)).toEqual([expect.objectContaining({ id: delegation.id, fromName: 'Trần Văn Minh', toName: 'Lê Thị Thu', toPosition: 'Phó Chủ tịch' })]);
    expect((await listOutgoing({ db, actor: w.deputy.actor, query: { box: 'signature', limit: 50, offset: 0 } })).map((d) => d.id)).toContain(doc.id);
    const before = await outgoingDetail({ db, actor: w.deputy.actor, id: doc.id });
    expect(before.can['outgoing.sign']).toBe(true);
    expect(before.data.onBehalf).toMatchObject({ competence: 'KT', signerName: 'Trần Văn Minh', signerPosition: 'Chủ tịch', deputyName: 'Lê Thị Thu', isSigned: false, until: '2099-12-31' });
    expect((await outgoingDetail({ db, actor: w.leader.actor, id: doc.id })).data.onBehalf).toBeNull();

    await expect(revokeDelegation({ db, actor: w.deputy.actor, id: delegation.id })).rejects.toMatchObject({ code: 'outgoing.bad_delegation' });
    expect((await signApproval({ db, deps: t.deps, actor: w.deputy.actor, ids: [doc.id], pin: DEMO_SIGNING_PIN }))[0]).toMatchObject({ ok: true });
    const after = await outgoingDetail({ db, actor: w.staff.actor, id: doc.id });
    expect(after.data).toMatchObject({ approvedByName: 'Lê Thị Thu', onBehalf: { competence: 'KT', deputyName: 'Lê Thị Thu', deputyPosition: 'Phó Chủ tịch', signerName: 'Trần Văn Minh', isSigned: true } });
    // The draft prints the leader's name: the deputy's signature image goes above it, not in a corner.
    const widget = (await db.selectFrom('outgoingDocument').select('approvalWidget').where('id', '=', doc.id).executeTakeFirstOrThrow()).approvalWidget as { rect: { x: number; y: number; width: number; height: number } } | null;
    const { main } = await currentMain(db, (await outgoingRepo.findById(db, doc.id))!);
    const leaderName = await findAnchor(await t.deps.blobs.get(main.sha256), 'Trần Văn Minh', { occurrence: 'last' });
    expect(widget && leaderName).toBeTruthy();
    expect(Math.abs(widget!.rect.x + widget!.rect.width / 2 - (leaderName!.x + leaderName!.width / 2))).toBeLessThan(8);
    expect(widget!.rect.y).toBeGreaterThan(leaderName!.y);
    expect(after.data.history.find((h) => h.type === 'OUTGOING_SIGNED')?.data).toMatchObject({ onBehalfOf: w.leader.user.id });
    // The recipient on this install registers who really signed: the deputy, with the deputy's position.
    await issueOutgoing({ db, deps: t.deps, actor: w.clerk.actor, id: doc.id });
    const received = await db.selectFrom('incomingDocument').select(['signerName', 'signerPosition']).where('sourceOutgoingId', '=', doc.id).executeTakeFirst();
    expect(received).toEqual({ signerName: 'Lê Thị Thu', signerPosition: 'Phó Chủ tịch' });
    // The external recipient's edXML names the real signer with KT. as the competence (QCVN 102 SignerInfo).
    const [row] = (await outgoingRepo.listOutbox(db, doc.id)).filter((o) => o.packageKind === 'edoc');
    const parsed = await parseEdxml((await buildPackage(t.deps, [{ ...row!, agencyId: w.agency.id }])).bytes);
    expect(parsed.kind === 'edoc' && parsed.header.messageHeader.signerInfo).toEqual({ competence: 'KT.', position: 'Phó Chủ tịch', fullName: 'Lê Thị Thu' });
    // Signed by the signer named on the draft: the competence chosen there (TM., Q., TL., TUQ.), or none.
    expect(competenceOf({ approvedBy: w.leader.user.id, signerId: w.leader.user.id, signerCompetence: 'TM' })).toBe('TM.');
    expect(competenceOf({ approvedBy: w.leader.user.id, signerId: w.leader.user.id, signerCompetence: null })).toBeNull();

    await revokeDelegation({ db, actor: w.leader.actor, id: delegation.id });
    expect(await outgoingRepo.listDelegations(db, w.leader.user.id)).toEqual([]);
    // Once revoked, the same days can be delegated again (and revoked again).
    const again = await createDelegation({ db, actor: w.leader.actor, toUserId: w.deputy.user.id, startsOn: '2099-12-31', endsOn: '2100-01-15' });
    await revokeDelegation({ db, actor: w.leader.actor, id: again.id });
    const later = await draft('Sau khi thu hồi ủy quyền');
    await submitForReview({ db, actor: w.staff.actor, id: later.id, reviewerIds: [] });
    expect((await signApproval({ db, deps: t.deps, actor: w.deputy.actor, ids: [later.id], pin: DEMO_SIGNING_PIN }))[0]).toMatchObject({ ok: false });
  });
});

describe('replacement (thay thế) and what the pages show', () => {
  test('only an issued document can be replaced; issuing the replacement marks the old one replaced, sends BusinessDocType 3 outside and takes the old copy out on this install', async () => {
    const db = t.db;
    const notYet = await draft('Chưa phát hành');
    await expect(draft('Thay thế sớm', { replacesId: notYet.id })).rejects.toMatchObject({ code: 'outgoing.not_replaceable', status: 409 });
    const old = await issued('Văn bản có sai sót');
    await expect(createDraft({ db, actor: w.otherClerk.actor, body: { typeCode: 'cong_van', subject: 'x', urgency: 'thuong', secrecy: 'thuong', signerId: null, signerCompetence: null, signerPosition: '', recipients: [], recipientsText: '', archiveNote: '', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: old.id } }))
      .rejects.toMatchObject({ code: 'outgoing.not_found' });
    const oldIncomingId = await outgoingRepo.deliveredIncomingId(db, old.id, w.other.id);
    expect(oldIncomingId).toBeTruthy();

    const replacement = await issued('Văn bản thay thế (đã sửa sai sót)', { replacesId: old.id });
    expect((await outgoingRepo.findById(db, old.id))?.status).toBe('replaced');
    expect((await outgoingRepo.listOutbox(db, replacement.id)).map((o) => o.businessDocType)).toEqual([3]);
    const oldIncoming = await db.selectFrom('incomingDocument').select('status').where('id', '=', oldIncomingId ?? '').executeTakeFirst();
    expect(oldIncoming?.status).toBe('recalled');
    const newIncoming = await outgoingRepo.deliveredIncomingId(db, replacement.id, w.other.id);
    expect((await db.selectFrom('incomingDocument').select('status').where('id', '=', newIncoming ?? '').executeTakeFirst())?.status).toBe('received');

    const oldPage = await outgoingDetail({ db, actor: w.staff.actor, id: old.id });
    expect(oldPage.data.replacedBy).toEqual([expect.objectContaining({ id: replacement.id, status: 'issued', numberText: replacement.number ? expect.stringMatching(/\/UBND-/) : null })]);
    expect(oldPage.can['outgoing.replace']).toBe(false);
    const newPage = await outgoingDetail({ db, actor: w.staff.actor, id: replacement.id });
    expect(newPage.data.replaces).toMatchObject({ id: old.id, status: 'replaced' });
  });

  test('the history names people by full name with position and unit; lists carry the recipients counts', async () => {
    const db = t.db;
    const doc = await issued('Theo dõi nơi nhận');
    const page = await outgoingDetail({ db, actor: w.staff.actor, id: doc.id });
    expect(page.data.history.find((h) => h.type === 'OUTGOING_CREATED')).toMatchObject({ actorName: 'Hoàng Văn Nam', actorPosition: 'Chuyên viên', actorUnit: 'Phòng Tổng hợp', actorLogin: w.staff.user.username });
    expect(page.data.recipients.find((r) => r.kind === 'unit')).toMatchObject({ unitId: w.office.id, statusCode: '01' });
    expect(page.data.recipients.find((r) => r.kind === 'agency')).toMatchObject({ agencyId: w.other.id, incomingId: expect.any(String) });
    // Unit: 01 at once; the agency on this install: 01 when received; the external one: not sent yet.
    expect(page.data.recipientCounts).toEqual({ total: 3, delivered: 2, registered: 0, done: 0, refused: 0, agreed: 0, disagreed: 0, awaiting: 0 });
    const [row] = await presentList(db, [doc]);
    expect(row?.recipientCounts).toEqual(page.data.recipientCounts);
    expect(await presentList(db, [])).toEqual([]);
  });
});

describe('update (cập nhật) and recall of an issued document, and recipients that refused it', () => {
  test('the clerk sends a new trích yếu and deadline: the agency on this install gets a request, the external one an update package, both marked asked (13); the answer comes back as 15 · Đồng ý cập nhật and the other is counted as not answered', async () => {
    const db = t.db;
    const doc = await issued('Văn bản cần cập nhật hạn');
    await expect(updateOutgoing({ db, actor: w.staff.actor, id: doc.id, reason: 'Lùi hạn', dueDate: '2027-01-15' })).rejects.toMatchObject({ code: 'forbidden' });
    const notIssued = await draft('Chưa phát hành nên không cập nhật');
    await expect(updateOutgoing({ db, actor: w.clerk.actor, id: notIssued.id, reason: 'x', dueDate: null })).rejects.toMatchObject({ code: 'outgoing.bad_status', status: 409 });
    expect(await updateOutgoing({ db, actor: w.clerk.actor, id: doc.id, reason: 'Lùi hạn báo cáo', subject: 'Văn bản cần cập nhật hạn (sửa trích yếu)', dueDate: '2027-01-15' }))
      .toEqual({ recipients: 2 });
    expect((await outgoingRepo.listOutbox(db, doc.id)).filter((o) => o.businessDocType === 2).map((o) => o.recipientAgencyCode)).toEqual(['000.00.99.G01']);
    const request = (await listSenderRequests({ db, actor: w.otherClerk.actor, status: 'pending' })).find((r) => r.document.subject === 'Văn bản cần cập nhật hạn');
    expect(request).toMatchObject({ kind: 'update', reason: 'Lùi hạn báo cáo', changes: { subject: 'Văn bản cần cập nhật hạn (sửa trích yếu)', dueDate: '2027-01-15' } });
    // both recipients asked are marked so on the sender's side, in the update's transaction; the unit is not asked
    const counts = async () => (await presentList(db, [(await outgoingRepo.findById(db, doc.id))!]))[0]?.recipientCounts;
    expect(await counts()).toMatchObject({ total: 3, agreed: 0, disagreed: 0, awaiting: 2 });
    await answerSenderRequest({ db, actor: w.otherClerk.actor, id: request?.id ?? '', agree: true, note: 'Đã sửa' });
    const page = await outgoingDetail({ db, actor: w.clerk.actor, id: doc.id });
    expect(page.data.status).toBe('issued');
    expect(page.data.recipients.find((r) => r.kind === 'agency')).toMatchObject({ recallCode: '15', recallLabel: '15 · Đồng ý cập nhật' });
    // the external agency has not answered: asked (13) since the update was sent
    const external = page.data.recipients.find((r) => r.kind === 'external');
    expect(external).toMatchObject({ recallCode: '13', recallLabel: '13 · Đã đề nghị cập nhật', recallAt: expect.any(String) });
    expect(external?.events.at(-1)).toMatchObject({ code: '13', label: 'Đã đề nghị cập nhật', description: 'Đề nghị cập nhật: Lùi hạn báo cáo' });
    expect(page.data.recipients.find((r) => r.kind === 'unit')?.recallLabel).toBeNull();
    // the issued list says it too: of the two asked, one agreed, none refused, one not answered yet
    expect(page.data.recipientCounts).toMatchObject({ delivered: 2, agreed: 1, disagreed: 0, awaiting: 1 });
    expect(await counts()).toEqual(page.data.recipientCounts);
  });

  test('once recalled, the list counts what each recipient did with the recall, as the page shows it: the unit at once, the agency when it agrees, the external one refusing', async () => {
    const db = t.db;
    const doc = await issued('Văn bản thu hồi theo dõi nơi nhận');
    await recallOutgoing({ db, actor: w.clerk.actor, id: doc.id, reason: 'Ban hành sai thẩm quyền' });
    const counts = async () => (await presentList(db, [(await outgoingRepo.findById(db, doc.id))!]))[0]?.recipientCounts;
    // the unit's members may no longer open it: taken back; the two agencies are asked
    expect(await counts()).toMatchObject({ total: 3, agreed: 1, disagreed: 0, awaiting: 2 });
    let page = await outgoingDetail({ db, actor: w.clerk.actor, id: doc.id });
    expect(page.data.recipients.find((r) => r.kind === 'unit')?.recallLabel).toBe('Đã thu hồi khỏi đơn vị');
    expect(page.data.recipients.find((r) => r.kind === 'agency')?.recallLabel).toBe('13 · Đã yêu cầu thu hồi');

    const request = (await listSenderRequests({ db, actor: w.otherClerk.actor, status: 'pending' })).find((r) => r.document.subject === 'Văn bản thu hồi theo dõi nơi nhận');
    await answerSenderRequest({ db, actor: w.otherClerk.actor, id: request?.id ?? '', agree: true, note: 'Đã thu hồi' });
    expect(await counts()).toMatchObject({ agreed: 2, disagreed: 0, awaiting: 1 });

    const external = (await outgoingRepo.listRecipients(db, doc.id)).find((r) => r.kind === 'external');
    await applyRecipientStatus(db, external!, { code: '16', at: new Date(), description: 'Từ chối thu hồi: văn bản đã thực hiện' });
    expect(await counts()).toMatchObject({ total: 3, agreed: 2, disagreed: 1, awaiting: 0 });
    page = await outgoingDetail({ db, actor: w.clerk.actor, id: doc.id });
    expect(page.data.recipientCounts).toEqual(await counts());
    expect(page.data.recipients.map((r) => [r.kind, r.recallLabel])).toEqual(expect.arrayContaining([['agency', '15 · Đồng ý thu hồi'], ['external', '16 · Từ chối thu hồi']]));
  });

  test('a recipient that refused the document (02) gets no recall request and is shown as not concerned', async () => {
    const db = t.db;
    const doc = await issued('Văn bản bị từ chối rồi thu hồi');
    const incomingId = await outgoingRepo.deliveredIncomingId(db, doc.id, w.other.id);
    await refuseIncoming({ db, actor: w.otherClerk.actor, id: incomingId ?? '', reason: 'Gửi nhầm nơi nhận' });
    expect(await updateOutgoing({ db, actor: w.clerk.actor, id: doc.id, reason: 'Lùi hạn', dueDate: '2027-02-01' })).toEqual({ recipients: 1 });
    await recallOutgoing({ db, actor: w.clerk.actor, id: doc.id, reason: 'Ban hành sai thẩm quyền' });
    const requests = await listSenderRequests({ db, actor: w.otherClerk.actor });
    expect(requests.filter((r) => r.incomingId === incomingId)).toEqual([]);
    const page = await outgoingDetail({ db, actor: w.clerk.actor, id: doc.id });
    const agency = page.data.recipients.find((r) => r.kind === 'agency');
    expect(agency).toMatchObject({ statusCode: '02', recallCode: null, recallLabel: 'Đã từ chối nhận — không cần thu hồi' });
    expect(agency?.events.map((e) => e.code)).not.toContain('13');
    expect(page.data.recipients.find((r) => r.kind === 'unit')?.recallLabel).toBe('Đã thu hồi khỏi đơn vị');
    // the refusing agency owes no answer: the recall is counted on the unit and the external recipient only
    expect(page.data.recipientCounts).toMatchObject({ refused: 1, agreed: 1, disagreed: 0, awaiting: 1 });
  });
});
