import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import { storeUpload } from '../files/files.service.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { createDraft, listOutgoing, recordRecipientStatus } from './outgoing.service.ts';
import { uploadVersion, versionFiles } from './outgoing-files.service.ts';
import { reviewOutgoing, submitForReview } from './outgoing-review.service.ts';
import { createDelegation, signApproval } from './outgoing-signing.service.ts';
import { issueOutgoing, previewIssue } from './outgoing-issue.service.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import { buildSampleDraft } from './outgoing.sample.ts';

const t = useTestApp({ demo: true });
let world: Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld() {
  const db = t.db;
  const agency = await makeAgency(db, { shortName: 'UBND', name: 'Ủy ban nhân dân tỉnh Thử' });
  await db.updateTable('agency').set({ placeName: 'Thái Hòa' }).where('id', '=', agency.id).execute();
  const other = await makeAgency(db, { shortName: 'SNV', name: 'Sở Nội vụ tỉnh Thử', parentId: agency.id, level: 'department' });
  const unit = await makeUnit(db, agency.id, 'Phòng Tổng hợp');
  await db.updateTable('unit').set({ shortName: 'TH' }).where('id', '=', unit.id).execute();
  const staff = await makeUser(db, { agencyId: agency.id, unitId: unit.id, roles: ['staff'] });
  const head = await makeUser(db, { agencyId: agency.id, unitId: unit.id, roles: ['unit_head'] });
  const leader = await makeUser(db, { agencyId: agency.id, roles: ['leader'] });
  const deputy = await makeUser(db, { agencyId: agency.id, roles: ['leader'] });
  const clerk = await makeUser(db, { agencyId: agency.id, roles: ['clerk'] });
  const outsider = await makeUser(db, { agencyId: agency.id, roles: ['staff'] });
  return { agency, other, unit, staff, head, leader, deputy, clerk, outsider };
}

async function draftWithFile(o: { typeCode?: 'quyet_dinh' | 'cong_van'; secrecy?: 'thuong' | 'mat'; appendix?: boolean; signer?: typeof world.leader } = {}) {
  const signer = o.signer ?? world.leader;
  const doc = await createDraft({ db: t.db, actor: world.staff.actor, body: {
    typeCode: o.typeCode ?? 'quyet_dinh', subject: 'Về việc thử nghiệm văn bản đi', urgency: 'khan', secrecy: o.secrecy ?? 'thuong',
    signerId: signer.user.id, signerCompetence: 'KT', signerPosition: 'Phó Chủ tịch', recipients: [{ kind: 'agency', agencyId: world.other.id }, { kind: 'external', agencyCode: '000.00.99.G01', name: 'Bộ Thử nghiệm' }, { kind: 'unit', unitId: world.unit.id }],
    recipientsText: '- Sở Nội vụ;\n- Lưu: VT, TH.', archiveNote: 'VT, TH', copies: 3, dueDate: null, note: '', participantIds: o.secrecy === 'mat' ? [world.clerk.user.id] : [], replacesId: null,
  } });
  const pdf = await buildSampleDraft({ agencyName: world.agency.name, notation: 'QĐ-UBND', typeName: 'Quyết định', subject: doc.subject, body: ['Điều 1. Thử nghiệm.'], recipients: ['Như trên'], competence: 'KT', position: 'Chủ tịch', signerName: signer.user.fullName });
  const main = await storeUpload(t.deps, { source: pdf, fileName: 'du-thao.pdf' });
  const appendices = o.appendix ? [await storeUpload(t.deps, { source: await buildSampleDraft({ agencyName: '', notation: '', typeName: null, subject: 'Danh sách', body: ['1. Mục một'], recipients: [], position: '', signerName: '', appendix: true }), fileName: 'phu-luc.pdf' })] : [];
  await uploadVersion({ db: t.db, deps: t.deps, actor: world.staff.actor, id: doc.id, main, appendices });
  return doc;
}

beforeAll(async () => {
  world = await makeWorld();
});

describe('outgoing flow', () => {
  test('Tối mật is refused with an explanation; Mật is accepted', async () => {
    const body = { typeCode: 'cong_van' as const, subject: 'x', urgency: 'thuong' as const, secrecy: 'toi_mat' as const, signerId: null, signerCompetence: null, signerPosition: '', recipients: [], recipientsText: '', archiveNote: '', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null };
    await expect(createDraft({ db: t.db, actor: world.staff.actor, body })).rejects.toMatchObject({ code: 'outgoing.secrecy_refused', status: 422 });
    await expect(createDraft({ db: t.db, actor: world.staff.actor, body: { ...body, secrecy: 'mat' } })).resolves.toMatchObject({ isSecret: true });
  });

  test('a corrupt upload is refused and leaves no version behind', async () => {
    const doc = await createDraft({ db: t.db, actor: world.staff.actor, body: { typeCode: 'cong_van', subject: 'x', urgency: 'thuong', secrecy: 'thuong', signerId: null, signerCompetence: null, signerPosition: '', recipients: [], recipientsText: '', archiveNote: '', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null } });
    const bad = await storeUpload(t.deps, { source: new TextEncoder().encode('%PDF-1.7\nthis is not really a pdf'), fileName: 'hong.pdf' });
    await expect(uploadVersion({ db: t.db, deps: t.deps, actor: world.staff.actor, id: doc.id, main: bad, appendices: [] })).rejects.toMatchObject({ code: 'files.pdf_corrupt' });
    expect((await outgoingRepo.findById(t.db, doc.id))?.currentVersion).toBe(0);
  });

  test('draft → review (return, revise, approve) → approval signature → issue: number, seal, dispatch', async () => {
    const doc = await draftWithFile({ appendix: true });
    const db = t.db;
    const submitted = await submitForReview({ db, actor: world.staff.actor, id: doc.id });
    expect(submitted?.status).toBe('in_review');
    // The unit head (reviewer, from the agency chain) returns with a comment on page 1; a stranger cannot act.
    await expect(reviewOutgoing({ db, actor: world.outsider.actor, id: doc.id, body: { action: 'approve', comment: '' } })).rejects.toMatchObject({ status: 404 });
    await reviewOutgoing({ db, actor: world.head.actor, id: doc.id, body: { action: 'return', comment: 'Sửa Điều 1', page: 1 } });
    await expect(signApproval({ db, deps: t.deps, actor: world.leader.actor, ids: [doc.id], pin: DEMO_SIGNING_PIN })).resolves.toEqual([expect.objectContaining({ ok: false, code: 'outgoing.bad_status' })]);
    const pdf = await buildSampleDraft({ agencyName: world.agency.name, notation: 'QĐ-UBND', typeName: 'Quyết định', subject: doc.subject, body: ['Điều 1. Đã sửa.'], recipients: ['Như trên'], competence: 'KT', position: 'Chủ tịch', signerName: world.leader.user.fullName });
    await uploadVersion({ db, deps: t.deps, actor: world.staff.actor, id: doc.id, main: await storeUpload(t.deps, { source: pdf, fileName: 'du-thao-2.pdf' }), appendices: [] });
    await submitForReview({ db, actor: world.staff.actor, id: doc.id });
    const approved = await reviewOutgoing({ db, actor: world.head.actor, id: doc.id, body: { action: 'approve', comment: 'Đồng ý' } });
    expect(approved?.status).toBe('awaiting_signature');
    expect((await listOutgoing({ db, actor: world.leader.actor, query: { box: 'signature', limit: 50, offset: 0 } })).map((d) => d.id)).toContain(doc.id);
    await expect(signApproval({ db, deps: t.deps, actor: world.leader.actor, ids: [doc.id], pin: '000000' })).rejects.toMatchObject({ code: 'signing.p12_bad_password' });
    const [signed] = await signApproval({ db, deps: t.deps, actor: world.leader.actor, ids: [doc.id], pin: DEMO_SIGNING_PIN });
    expect(signed).toMatchObject({ ok: true, status: 'signed' });

    const [first, second] = await Promise.all([issueOutgoing({ db, deps: t.deps, actor: world.clerk.actor, id: doc.id }), issueOutgoing({ db, deps: t.deps, actor: world.clerk.actor, id: doc.id })]);
    expect([first.alreadyIssued, second.alreadyIssued].sort()).toEqual([false, true]);
    const issued = await outgoingRepo.findById(db, doc.id);
    expect(issued).toMatchObject({ status: 'issued', number: 1, notation: 'QĐ-UBND' });
    const files = await versionFiles(db, doc.id, issued?.currentVersion ?? 0);
    expect(files.filter((f) => f.kind === 'appendix')).toHaveLength(1); // carried over into version 2
    const outbox = await outgoingRepo.listOutbox(db, doc.id);
    expect(outbox).toEqual([expect.objectContaining({ recipientAgencyCode: '000.00.99.G01', packageKind: 'edoc', businessDocType: 0, status: 'pending' })]);
    const recipients = await outgoingRepo.listRecipients(db, doc.id);
    expect(recipients.find((r) => r.kind === 'agency')?.incomingId).toBeTruthy();
    expect(recipients.find((r) => r.kind === 'unit')?.statusCode).toBe('01');
    await recordRecipientStatus(db, { outgoingId: doc.id, recipientAgencyId: world.other.id, code: '03', at: new Date() });
    expect((await outgoingRepo.listRecipients(db, doc.id)).find((r) => r.kind === 'agency')?.statusCode).toBe('03');
    // 05 and 06 stamped in the same second (edXML precision) but arriving 06 first: the recipient stays at 06.
    const tick = new Date(Math.floor(Date.now() / 1000) * 1000 + 2000);
    await recordRecipientStatus(db, { outgoingId: doc.id, recipientAgencyId: world.other.id, code: '06', at: tick });
    await recordRecipientStatus(db, { outgoingId: doc.id, recipientAgencyId: world.other.id, code: '05', at: new Date(tick.getTime() + 500) });
    expect((await outgoingRepo.listRecipients(db, doc.id)).find((r) => r.kind === 'agency')?.statusCode).toBe('06');
    (globalThis as { issuedFiles?: typeof files }).issuedFiles = files;
  });

  test.skipIf(!needTool('pdfsig', 'pdftotext'))('the issued PDF has two valid signatures and shows its number', async () => {
    const files = (globalThis as { issuedFiles?: Awaited<ReturnType<typeof versionFiles>> }).issuedFiles ?? [];
    const main = files.filter((f) => f.note === 'issued').at(-1);
    expect(main).toBeTruthy();
    const dir = mkdtempSync(path.join(tmpdir(), 'og-issued-'));
    const file = path.join(dir, 'issued.pdf');
    writeFileSync(file, await t.deps.blobs.get(main?.sha256 ?? ''));
    const sig = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(sig.match(/Signature Validation: Signature is Valid/g)).toHaveLength(2);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')).toContain('01/QĐ-UBND');
    const appendix = files.filter((f) => f.note === 'issued-appendix-1').at(-1);
    writeFileSync(path.join(dir, 'pl.pdf'), await t.deps.blobs.get(appendix?.sha256 ?? ''));
    expect(execFileSync('pdftotext', [path.join(dir, 'pl.pdf'), '-'], { encoding: 'utf8' })).toContain('Số: 01/QĐ-UBND');
  });

  test('batch signing of five documents with one PIN; a deputy signs for the leader under delegation; Mật numbers in its own series', async () => {
    const db = t.db;
    const docs = [];
    for (let i = 0; i < 5; i++) {
      const d = await draftWithFile({ typeCode: 'cong_van' });
      await submitForReview({ db, actor: world.staff.actor, id: d.id, reviewerIds: [] });
      docs.push(d);
    }
    const outcomes = await signApproval({ db, deps: t.deps, actor: world.leader.actor, ids: docs.map((d) => d.id), pin: DEMO_SIGNING_PIN });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true, true]);
    const issued = [];
    for (const d of docs) issued.push((await issueOutgoing({ db, deps: t.deps, actor: world.clerk.actor, id: d.id })).doc);
    expect(issued.map((d) => `${d.number}/${d.notation}`)).toEqual(['2/UBND-TH', '3/UBND-TH', '4/UBND-TH', '5/UBND-TH', '6/UBND-TH']);

    const secret = await draftWithFile({ secrecy: 'mat' });
    await submitForReview({ db, actor: world.staff.actor, id: secret.id, reviewerIds: [] });
    await expect(signApproval({ db, deps: t.deps, actor: world.deputy.actor, ids: [secret.id], pin: DEMO_SIGNING_PIN })).resolves.toEqual([expect.objectContaining({ ok: false })]);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    await createDelegation({ db, actor: world.leader.actor, toUserId: world.deputy.user.id, startsOn: today, endsOn: today });
    expect((await signApproval({ db, deps: t.deps, actor: world.deputy.actor, ids: [secret.id], pin: DEMO_SIGNING_PIN }))[0]).toMatchObject({ ok: true });
    const { doc } = await issueOutgoing({ db, deps: t.deps, actor: world.clerk.actor, id: secret.id });
    expect(doc).toMatchObject({ number: 1, isSecret: true });
  });

  test('before issuing, the clerk is shown the register, number and date issuing then gives; the drafter and a draft are refused', async () => {
    const db = t.db;
    const doc = await draftWithFile({ typeCode: 'cong_van' });
    await expect(previewIssue({ db, deps: t.deps, actor: world.clerk.actor, id: doc.id })).rejects.toMatchObject({ code: 'outgoing.bad_status' });
    await submitForReview({ db, actor: world.staff.actor, id: doc.id, reviewerIds: [] });
    await signApproval({ db, deps: t.deps, actor: world.leader.actor, ids: [doc.id], pin: DEMO_SIGNING_PIN });
    await expect(previewIssue({ db, deps: t.deps, actor: world.staff.actor, id: doc.id })).rejects.toMatchObject({ code: 'forbidden' });
    const preview = await previewIssue({ db, deps: t.deps, actor: world.clerk.actor, id: doc.id });
    // The sample draft prints "Số:      /QĐ-UBND" while a Công văn of Phòng Tổng hợp is "UBND-TH": it says so.
    expect(preview).toMatchObject({ numberText: expect.stringMatching(/^\d{2,}\/UBND-TH$/), dateText: expect.stringMatching(/^Thái Hòa, ngày \d{2} tháng \d{1,2} năm \d{4}$/), printed: '/QĐ-UBND', recipients: 3 });
    expect(preview.registerName).toBeTruthy();
    expect(preview.hasPlaceName).toBe(true);
    // An agency made without its địa danh gets its name on the date line: the clerk is told before issuing.
    await db.updateTable('agency').set({ placeName: '' }).where('id', '=', world.agency.id).execute();
    const unplaced = await previewIssue({ db, deps: t.deps, actor: world.clerk.actor, id: doc.id });
    expect(unplaced).toMatchObject({ hasPlaceName: false, dateText: expect.stringMatching(/^Ủy ban nhân dân tỉnh Thử, ngày /) });
    await db.updateTable('agency').set({ placeName: 'Thái Hòa' }).where('id', '=', world.agency.id).execute();
    const { doc: issued } = await issueOutgoing({ db, deps: t.deps, actor: world.clerk.actor, id: doc.id });
    expect(`${String(issued.number).padStart(2, '0')}/${issued.notation}`).toBe(preview.numberText);
  }, 120_000);
});
