import type { DocumentTypeCode, UrgencyCode } from '../registers/document-types.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { createDraft } from '../outgoing/outgoing.service.ts';
import { uploadVersion } from '../outgoing/outgoing-files.service.ts';
import { reviewOutgoing, submitForReview } from '../outgoing/outgoing-review.service.ts';
import { signApproval } from '../outgoing/outgoing-signing.service.ts';
import { issueOutgoing } from '../outgoing/outgoing-issue.service.ts';
import { buildSampleDraft } from '../outgoing/outgoing.sample.ts';
import { ZCreateDraftBody, type TRecipientInput } from '../outgoing/outgoing.schemas.ts';
import { AppError } from '../../platform/errors.ts';
import { addDays, storePdf, type DemoAgencyKey, type DemoCtx, type DemoUsername } from './demo.context.ts';

/** How far a draft goes through ND 30's outgoing flow (Art. 10–18). */
type Stage = 'draft' | 'in_review' | 'awaiting_signature' | 'issued';

type Draft = {
  stage: Stage; agency: DemoAgencyKey; drafter: DemoUsername; reviewer?: DemoUsername; signer: DemoUsername; clerk: DemoUsername;
  typeCode: DocumentTypeCode; typeName: string | null; draftNotation: string; subject: string; urgency: UrgencyCode;
  competence: 'TM' | 'KT' | null; position: string; recipients: DemoAgencyKey[]; recipientsText: string[]; archiveNote: string;
  dueDays: number | null; body: string[];
  /** Units of the drafting agency it goes to (a decision's «Như Điều 3»), besides the agencies. */
  units?: string[];
};

function provinceDrafts(year: number, month: number): Draft[] {
  const desk = { agency: 'tinh', drafter: 'chuyenvien', reviewer: 'truongphong', signer: 'lanhdao', clerk: 'vanthu', urgency: 'thuong', competence: 'TM', position: 'Chủ tịch', archiveNote: 'VT, TH' } as const;
  return [
    { ...desk, stage: 'issued', typeCode: 'cong_van', typeName: null, draftNotation: 'UBND-TH',
      subject: `Rà soát, cập nhật Danh mục hồ sơ năm ${year + 1}`, recipients: ['snv', 'xa'], dueDays: 10,
      recipientsText: ['Sở Nội vụ', 'UBND xã Tân Lập', 'Lưu: VT, TH'],
      body: [`Thực hiện Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư, Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị rà soát, xây dựng Danh mục hồ sơ năm ${year + 1}, gửi về Văn phòng Ủy ban nhân dân tỉnh (qua Phòng Tổng hợp) trước thời hạn ghi trên văn bản để tổng hợp.`] },
    { ...desk, stage: 'awaiting_signature', typeCode: 'quyet_dinh', typeName: 'Quyết định', draftNotation: 'QĐ-UBND',
      subject: 'Ban hành Quy chế công tác văn thư, lưu trữ của Ủy ban nhân dân tỉnh Thái Hòa', recipients: [], dueDays: null,
      units: ['Văn phòng', 'Phòng Tổng hợp', 'Phòng Kinh tế'],
      recipientsText: ['Như Điều 3', 'Lưu: VT, TH'],
      body: ['Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư, lưu trữ của Ủy ban nhân dân tỉnh Thái Hòa.', 'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.', 'Điều 3. Chánh Văn phòng, Trưởng các phòng và các cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này.'] },
    { ...desk, stage: 'in_review', typeCode: 'bao_cao', typeName: 'Báo cáo', draftNotation: 'BC-UBND',
      subject: `Tình hình kinh tế - xã hội tháng ${month} năm ${year}`, recipients: ['snv', 'xa'], dueDays: null,
      recipientsText: ['Văn phòng Chính phủ', 'Các sở, ban, ngành tỉnh', 'UBND các xã, phường', 'Lưu: VT, TH'],
      body: [`I. Tình hình kinh tế - xã hội tháng ${month}: sản xuất nông nghiệp ổn định; thu ngân sách đạt kế hoạch; các dịch vụ công trực tuyến được duy trì thông suốt.`, 'II. Nhiệm vụ trọng tâm tháng tới: tập trung hoàn thành các chỉ tiêu năm, chuẩn bị tổng kết năm.'] },
    { ...desk, stage: 'draft', typeCode: 'ke_hoach', typeName: 'Kế hoạch', draftNotation: 'KH-UBND',
      subject: `Tổ chức Hội nghị tổng kết công tác năm ${year}, triển khai nhiệm vụ năm ${year + 1}`, recipients: ['snv'], dueDays: null, recipientsText: ['Các sở, ban, ngành', 'Lưu: VT, TH'],
      body: ['I. Mục đích, yêu cầu: đánh giá kết quả thực hiện nhiệm vụ năm, rút ra bài học kinh nghiệm, đề ra nhiệm vụ, giải pháp cho năm tới.', 'II. Thời gian, địa điểm: dự kiến tổ chức vào tuần đầu tháng 01, tại Hội trường Ủy ban nhân dân tỉnh.'] },
  ];
}

function communeDrafts(year: number): Draft[] {
  return [
    { stage: 'issued', agency: 'xa', drafter: 'xa.chuyenvien', signer: 'xa.chutich', clerk: 'xa.vanthu', typeCode: 'bao_cao', typeName: 'Báo cáo', draftNotation: 'BC-UBND',
      subject: `Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm ${year} của xã Tân Lập`, urgency: 'thuong', competence: 'TM', position: 'Chủ tịch',
      recipients: ['tinh'], recipientsText: ['UBND tỉnh Thái Hòa', 'Lưu: VT'], archiveNote: 'VT', dueDays: null,
      body: [`Năm ${year}, Ủy ban nhân dân xã Tân Lập báo cáo kết quả: tổng giá trị sản xuất tăng 7,2% so với năm trước; tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến đạt 85%; hoàn thành các chỉ tiêu nông thôn mới nâng cao.`] },
  ];
}

/** Seeds the People's Committee's outgoing documents at the stages asked: a draft, one in review, one awaiting the Chairman's signature, one issued to the Sở Nội vụ and the commune. */
export async function seedProvinceOutgoing(c: DemoCtx, stages: readonly Stage[]): Promise<number> {
  const drafts = provinceDrafts(c.year, Number(c.today.slice(5, 7))).filter((d) => stages.includes(d.stage));
  for (const d of drafts) await walkDraft(c, d);
  return drafts.length;
}

/** Seeds the commune's report issued to the province (it arrives in the province clerk's intake, prefilled). */
export async function seedCommuneOutgoing(c: DemoCtx): Promise<number> {
  const drafts = communeDrafts(c.year);
  for (const d of drafts) await walkDraft(c, d);
  return drafts.length;
}

/** One draft through the real services as far as its stage: create, upload, submit, approve, sign (demo PIN), issue. */
async function walkDraft(c: DemoCtx, d: Draft): Promise<void> {
  const { db, deps } = c;
  const drafter = c.actor(d.drafter);
  const signer = c.user(d.signer);
  const agency = c.agency(d.agency);
  // Every draft goes somewhere in the system: a document without a recipient cannot be issued (outgoing.no_recipients).
  const recipients: TRecipientInput[] = [
    ...await Promise.all((d.units ?? []).map(async (name) => ({ kind: 'unit' as const, unitId: await c.unitId(d.agency, name) }))),
    ...d.recipients.map((key) => ({ kind: 'agency' as const, agencyId: c.agency(key).id })),
  ];
  const doc = await createDraft({ db, actor: drafter, body: ZCreateDraftBody.parse({
    typeCode: d.typeCode, subject: d.subject, urgency: d.urgency, signerId: signer.actor.id, signerCompetence: d.competence, signerPosition: d.position,
    recipients, recipientsText: d.recipientsText.map((r) => `- ${r};`).join('\n'), archiveNote: d.archiveNote, copies: d.recipientsText.length,
    dueDate: d.dueDays === null ? null : addDays(c.today, d.dueDays),
  }) });
  const pdf = await buildSampleDraft({
    agencyName: agency.name, parentName: agency.governingName ?? '', notation: d.draftNotation, typeName: d.typeName, subject: d.subject,
    body: d.body, recipients: d.recipientsText, competence: d.competence, position: d.position, signerName: signer.actor.fullName,
  });
  await uploadVersion({ db, deps, actor: drafter, id: doc.id, main: await storePdf(c, pdf, 'du-thao.pdf'), appendices: [] });
  if (d.stage === 'draft') return;
  // The agency's review chain, as the submit dialog proposes it: the drafting unit's head at the province, nobody at the commune.
  await submitForReview({ db, actor: drafter, id: doc.id, comment: 'Kính trình lãnh đạo xem xét.' });
  if (d.stage === 'in_review') return;
  const reviewer = d.reviewer ? c.actor(d.reviewer) : undefined;
  if (reviewer) await reviewOutgoing({ db, actor: reviewer, id: doc.id, body: { action: 'approve', comment: 'Đồng ý, kính trình lãnh đạo ký.' } });
  if (d.stage === 'awaiting_signature') return;
  const [signed] = await signApproval({ db, deps, actor: signer.actor, ids: [doc.id], pin: DEMO_SIGNING_PIN });
  if (!signed) throw new AppError('signing.sign_failed', 500, 'Ký số thất bại.');
  if (!signed.ok) throw new AppError(signed.code, 500, signed.message, signed.details);
  await issueOutgoing({ db, deps, actor: c.actor(d.clerk), id: doc.id });
}
