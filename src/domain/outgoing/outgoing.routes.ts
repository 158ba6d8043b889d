import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppEnv } from '../../platform/http/context.ts';
import { actorOf, requireUser } from '../../platform/http/auth.ts';
import { zJson, zParam, zQuery } from '../../platform/http/validate.ts';
import { isAppError } from '../../platform/errors.ts';
import { ZIdParam } from '../orgs/orgs.schemas.ts';
import { recordAccess } from '../access/access.middleware.ts';
import { findFile, storeUpload, type StoredUpload } from '../files/files.service.ts';
import { fileAccessAction, isPrintRequest, sendFile, sendPrintCopy } from '../files/files.http.ts';
import { fileNotFound } from '../files/files.errors.ts';
import { DEMO_SIGNING_PIN, installCertificate, listCertificates, personalCertificate, validityOf } from '../certificates/certificates.service.ts';
import * as s from './outgoing.schemas.ts';
import { cancelDraft, countOutgoingWork, createDraft, listOutgoing, loadVisible, updateDraft } from './outgoing.service.ts';
import { uploadVersion } from './outgoing-files.service.ts';
import { proposedChain, readReviewChain, removeTypeChain, returnToDrafter, reviewOutgoing, saveReviewChain, submitForReview } from './outgoing-review.service.ts';
import { createDelegation, finishExternal, prepareExternal, revokeDelegation, signApproval } from './outgoing-signing.service.ts';
import { checkNumberLine, issueOutgoing, previewIssue } from './outgoing-issue.service.ts';
import { recallOutgoing, updateOutgoing } from './outgoing-recall.service.ts';
import { exportOutgoingRegister, outgoingRegister } from './outgoing-register.service.ts';
import { outgoingDetail, presentList, presentOutgoing } from './outgoing.present.ts';
import { directoryRepo, outgoingRepo, type OutgoingRow } from './outgoing.repository.ts';
import { outgoingNotFound } from './outgoing.errors.ts';
import { buildSampleDraft } from './outgoing.sample.ts';
import { buildNotation, documentType } from '../registers/document-types.ts';
import { findUsersByIds } from '../users/users.directory.ts';

const fromBase64 = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));

const tags = ['Văn bản đi'];
const ctx = (c: Context<AppEnv>) => ({ db: c.var.db, actor: actorOf(c), ip: c.var.ip, requestId: c.var.requestId });
const dctx = (c: Context<AppEnv>) => ({ ...ctx(c), deps: c.var.deps });
const ZSession = z.object({ sessionId: z.uuid() });
// A guarded update returns nothing only when the row changed under us: report it as not found.
const present = (row: OutgoingRow | undefined) => {
  if (!row) throw outgoingNotFound();
  return presentOutgoing(row);
};

/** Stores every uploaded file of a multipart form (fields `main` and `appendix`) before anything else. */
async function receiveForm(c: Context<AppEnv>): Promise<{ main?: StoredUpload; appendices: StoredUpload[]; replaceAppendices: boolean }> {
  const form = await c.req.parseBody({ all: true });
  const files = (v: unknown) => (Array.isArray(v) ? v : [v]).filter((f): f is File => f instanceof File);
  const store = async (f: File) => storeUpload(c.var.deps, { source: new Uint8Array(await f.arrayBuffer()), fileName: f.name, contentType: f.type });
  const [main] = await Promise.all(files(form.main).slice(0, 1).map(store));
  const appendices = await Promise.all(files(form.appendix).map(store));
  return { main, appendices, replaceAppendices: form.replaceAppendices === 'true' };
}

/** The outgoing-document API (văn bản đi). See docs/outgoing.md. */
export const outgoingRoutes = new Hono<AppEnv>()
  .use(requireUser())
  .get('/', describeRoute({ tags, summary: 'Danh sách công việc: dự thảo của tôi, chờ tôi duyệt, chờ tôi ký, chờ phát hành, đã phát hành' }), zQuery(s.ZListQuery), async (c) =>
    c.json({ data: await presentList(c.var.db, await listOutgoing({ ...ctx(c), query: c.req.valid('query') })) }))
  .get('/counts', describeRoute({ tags, summary: 'Số văn bản chờ trong từng danh sách công việc của người dùng (theo vai trò)' }), async (c) =>
    c.json({ data: await countOutgoingWork(ctx(c)) }))
  .post('/', describeRoute({ tags, summary: 'Tạo dự thảo' }), zJson(s.ZCreateDraftBody), async (c) =>
    c.json({ data: presentOutgoing(await createDraft({ ...ctx(c), body: c.req.valid('json') })) }, 201))
  .get('/register', describeRoute({ tags, summary: 'Sổ đăng ký văn bản đi (JSON, XLSX, PDF)' }), zQuery(s.ZRegisterQuery), async (c) => {
    const { format, ...query } = c.req.valid('query');
    if (format === 'json') return c.json({ data: await outgoingRegister({ ...ctx(c), query }) });
    const bytes = await exportOutgoingRegister({ ...ctx(c), query, format });
    const type = format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf';
    return c.body(Buffer.from(bytes), 200, { 'Content-Type': type, 'Content-Disposition': `attachment; filename="so-van-ban-di.${format}"` });
  })
  .post('/sign', describeRoute({ tags, summary: 'Ký duyệt một hoặc nhiều văn bản bằng chứng thư số lưu trên máy chủ (một lần nhập PIN)' }), zJson(s.ZSignBody), async (c) => {
    const body = c.req.valid('json');
    return c.json({ data: await signApproval({ ...dctx(c), ids: body.ids, pin: body.pin }) });
  })
  .post('/sign/prepare', describeRoute({ tags, summary: 'Ký số ngoài (bước 1): chuẩn bị dữ liệu cần ký cho ứng dụng ký số' }), zJson(s.ZPrepareBody), async (c) => {
    const body = c.req.valid('json');
    return c.json({ data: await prepareExternal({ ...dctx(c), ids: body.ids, certificate: body.certificate, chain: body.chain }) });
  })
  .post('/sign/:sessionId/finish', describeRoute({ tags, summary: 'Ký số ngoài (bước 2): gửi chữ ký số' }), zParam(ZSession), zJson(s.ZFinishBody), async (c) =>
    c.json({ data: await finishExternal({ ...dctx(c), sessionId: c.req.valid('param').sessionId, signatures: c.req.valid('json').signatures }) }))
  .get('/signing-info', describeRoute({ tags, summary: 'Cách ký của người dùng (chế độ thử nghiệm: PIN mẫu; chứng thư số cá nhân đã đăng ký)' }), async (c) => {
    const personal = await personalCertificate(c.var.deps, actorOf(c).id).catch((e: unknown) => { if (isAppError(e, 'certificates.no_personal')) return null; throw e; });
    const registered = personal && { sha256: createHash('sha256').update(personal.certDer).digest('hex'), hasServerKey: personal.hasServerKey, ...validityOf(personal.notAfter) };
    return c.json({ data: { demo: c.var.deps.config.demo, demoPin: c.var.deps.config.demo ? DEMO_SIGNING_PIN : null, personal: registered } });
  })
  .get('/delegations', describeRoute({ tags, summary: 'Ủy quyền ký duyệt của tôi' }), async (c) =>
    c.json({ data: await outgoingRepo.listDelegations(c.var.db, actorOf(c).id) }))
  .post('/delegations', describeRoute({ tags, summary: 'Ủy quyền ký duyệt cho cấp phó trong khoảng thời gian' }), zJson(s.ZDelegationBody), async (c) =>
    c.json({ data: await createDelegation({ ...ctx(c), ...c.req.valid('json') }) }, 201))
  .post('/delegations/:id/revoke', describeRoute({ tags, summary: 'Thu hồi ủy quyền' }), zParam(s.ZDelegationParam), async (c) =>
    c.json({ data: await revokeDelegation({ ...ctx(c), id: c.req.valid('param').id }) }))
  .get('/chain', describeRoute({ tags, summary: 'Chuỗi trình duyệt mặc định của cơ quan (quản trị)' }), async (c) =>
    c.json({ data: await readReviewChain(ctx(c)) }))
  .put('/chain', describeRoute({ tags, summary: 'Chuỗi trình duyệt mặc định của cơ quan' }), zJson(s.ZChainBody), async (c) =>
    c.json({ data: await saveReviewChain({ ...ctx(c), ...c.req.valid('json') }) }))
  .delete('/chain/:typeCode', describeRoute({ tags, summary: 'Bỏ chuỗi trình duyệt riêng của một loại văn bản (dùng chuỗi chung)' }), zParam(s.ZChainTypeParam), async (c) =>
    c.json({ data: await removeTypeChain({ ...ctx(c), typeCode: c.req.valid('param').typeCode }) }))
  .get('/certificates', describeRoute({ tags, summary: 'Chứng thư số của cơ quan và người dùng' }), async (c) => c.json({ data: await listCertificates(ctx(c)) }))
  .post('/certificates/seal', describeRoute({ tags, summary: 'Cài đặt chứng thư số của cơ quan (con dấu số): tệp PKCS#12, mật khẩu, ảnh con dấu' }), zJson(s.ZSealCertificateBody), async (c) => {
    const b = c.req.valid('json');
    const row = await installCertificate({ ...dctx(c), purpose: 'seal', p12: fromBase64(b.p12), password: b.password, image: b.image ? fromBase64(b.image) : null });
    return c.json({ data: { id: row.id, subject: row.subject } }, 201);
  })
  .post('/certificates/personal', describeRoute({ tags, summary: 'Đăng ký chứng thư số cá nhân (ký số ngoài) kèm chuỗi chứng thư của tổ chức cấp, và ảnh chữ ký' }), zJson(s.ZPersonalCertificateBody), async (c) => {
    const b = c.req.valid('json');
    const row = await installCertificate({ ...dctx(c), purpose: 'personal', userId: b.userId, certDer: fromBase64(b.certificate),
      chainFile: b.chain ? fromBase64(b.chain) : undefined, password: b.password, image: b.image ? fromBase64(b.image) : null, confirmNameMismatch: b.confirmNameMismatch });
    return c.json({ data: { id: row.id, subject: row.subject } }, 201);
  })
  .get('/:id', describeRoute({ tags, summary: 'Chi tiết văn bản đi: phiên bản, chuỗi duyệt, nơi nhận và trạng thái, lịch sử' }), zParam(ZIdParam), recordAccess('outgoing', 'view'), async (c) =>
    c.json(await outgoingDetail({ ...ctx(c), id: c.req.valid('param').id })))
  .patch('/:id', describeRoute({ tags, summary: 'Sửa thông tin dự thảo' }), zParam(ZIdParam), zJson(s.ZUpdateDraftBody), async (c) =>
    c.json({ data: presentOutgoing(await updateDraft({ ...ctx(c), id: c.req.valid('param').id, body: c.req.valid('json') })) }))
  .post('/:id/files', describeRoute({ tags, summary: 'Tải lên phiên bản mới (main: PDF/DOCX; appendix: phụ lục)' }), zParam(ZIdParam), async (c) => {
    const form = await receiveForm(c);
    return c.json({ data: presentOutgoing(await uploadVersion({ ...dctx(c), id: c.req.valid('param').id, ...form })) });
  })
  .post('/:id/sample-file', describeRoute({ tags, summary: 'Chế độ thử nghiệm: tạo tệp dự thảo mẫu theo thể thức Nghị định 30' }), zParam(ZIdParam), async (c) => {
    const id = c.req.valid('param').id;
    const subject = await loadVisible({ ...ctx(c), id });
    if (!c.var.deps.config.demo) return c.json({ error: { code: 'outgoing.demo_only', message: 'Chỉ dùng trong chế độ thử nghiệm.' } }, 404);
    const [signer] = await findUsersByIds(c.var.db, subject.row.signerId ? [subject.row.signerId] : []);
    const agency = await directoryRepo.findAgency(c.var.db, subject.row.agencyId);
    if (!agency) throw outgoingNotFound();
    const type = documentType(subject.row.typeCode);
    // The ký hiệu printed on the draft is the one issuing will give it (a Công văn's carries the drafting unit: UBND-TH).
    const unit = subject.row.draftingUnitId ? await directoryRepo.findUnit(c.var.db, subject.row.draftingUnitId) : undefined;
    const notation = buildNotation({ typeCode: subject.row.typeCode, agencyShort: agency.shortName, unitShort: unit?.shortName || null });
    const pdf = await buildSampleDraft({ agencyName: agency.name, parentName: agency.governingName ?? undefined, notation, typeName: type?.abbr ? type.name : null,
      subject: subject.row.subject, body: ['Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;', 'Điều 1. Nội dung văn bản mẫu do hệ thống tạo để thử nghiệm.'],
      recipients: ['Như trên', 'Lưu: VT'], competence: subject.row.signerCompetence, position: subject.row.signerPosition || signer?.position || 'Thủ trưởng', signerName: signer?.fullName ?? '' });
    const main = await storeUpload(c.var.deps, { source: pdf, fileName: 'du-thao-mau.pdf' });
    return c.json({ data: presentOutgoing(await uploadVersion({ ...dctx(c), id, main, appendices: [] })) });
  })
  .get('/:id/files/:fileId', describeRoute({ tags, summary: 'Tải tệp của văn bản (mọi phiên bản); ?print=1: bản in (PDF) ghi người in và thời gian trên từng trang' }), zParam(s.ZFileParam),
    recordAccess('outgoing', fileAccessAction, (c) => isPrintRequest(c) || c.req.query('download') === '1'), async (c) => {
    const { id, fileId } = c.req.valid('param');
    await loadVisible({ ...ctx(c), id });
    const file = await findFile(c.var.db, fileId);
    if (!file || file.ownerType !== 'outgoing' || file.ownerId !== id) throw fileNotFound();
    return isPrintRequest(c) ? sendPrintCopy(c, file) : sendFile(c, file, c.req.query('download') !== '1');
  })
  .get('/:id/proposed-chain', describeRoute({ tags, summary: 'Chuỗi trình duyệt đề xuất cho văn bản này (theo cấu hình của cơ quan), để người soạn điều chỉnh' }), zParam(ZIdParam), async (c) =>
    c.json({ data: await proposedChain({ ...ctx(c), id: c.req.valid('param').id }) }))
  .post('/:id/submit', describeRoute({ tags, summary: 'Trình duyệt' }), zParam(ZIdParam), zJson(s.ZSubmitBody), async (c) =>
    c.json({ data: present(await submitForReview({ ...dctx(c), id: c.req.valid('param').id, ...c.req.valid('json') })) }))
  .post('/:id/review', describeRoute({ tags, summary: 'Duyệt: đồng ý, trả lại (có ý kiến, trang), chuyển tiếp' }), zParam(ZIdParam), zJson(s.ZReviewBody), async (c) =>
    c.json({ data: present(await reviewOutgoing({ ...dctx(c), id: c.req.valid('param').id, body: c.req.valid('json') })) }))
  .post('/:id/return', describeRoute({ tags, summary: 'Người ký hoặc văn thư trả lại dự thảo' }), zParam(ZIdParam), zJson(s.ZReturnBody), async (c) =>
    c.json({ data: present(await returnToDrafter({ ...dctx(c), id: c.req.valid('param').id, ...c.req.valid('json') })) }))
  .post('/:id/cancel', describeRoute({ tags, summary: 'Hủy dự thảo' }), zParam(ZIdParam), async (c) =>
    c.json({ data: present(await cancelDraft({ ...ctx(c), id: c.req.valid('param').id })) }))
  .get('/:id/issue-preview', describeRoute({ tags, summary: 'Trước khi phát hành: sổ, số và ký hiệu dự kiến, ngày ban hành, ký hiệu khác in trên dự thảo, hạn của chứng thư số cơ quan' }), zParam(ZIdParam), async (c) =>
    c.json({ data: await previewIssue({ ...dctx(c), id: c.req.valid('param').id }) }))
  .get('/:id/number-line', describeRoute({ tags, summary: 'Tệp dự thảo hiện tại có dòng «Số:» để văn thư cấp số khi phát hành không, và ký hiệu in trên dự thảo' }), zParam(ZIdParam), async (c) =>
    c.json({ data: await checkNumberLine({ ...dctx(c), id: c.req.valid('param').id }) }))
  .post('/:id/issue', describeRoute({ tags, summary: 'Phát hành: cấp số, ký số cơ quan, gửi' }), zParam(ZIdParam), async (c) => {
    const r = await issueOutgoing({ ...dctx(c), id: c.req.valid('param').id });
    return c.json({ data: presentOutgoing(r.doc), alreadyIssued: r.alreadyIssued });
  })
  .post('/:id/recall', describeRoute({ tags, summary: 'Thu hồi văn bản đã phát hành' }), zParam(ZIdParam), zJson(s.ZRecallBody), async (c) =>
    c.json({ data: present(await recallOutgoing({ ...ctx(c), id: c.req.valid('param').id, reason: c.req.valid('json').reason })) }))
  .post('/:id/update', describeRoute({ tags, summary: 'Gửi cập nhật trích yếu / hạn xử lý của văn bản đã phát hành tới nơi nhận (mỗi nơi trả lời 15/16)' }), zParam(ZIdParam), zJson(s.ZUpdateIssuedBody), async (c) =>
    c.json({ data: await updateOutgoing({ ...ctx(c), id: c.req.valid('param').id, ...c.req.valid('json') }) }));
