import type { DocumentTypeCode, UrgencyCode } from '../registers/document-types.ts';
import { receivePaperScan, registerIncoming } from '../incoming/incoming.service.ts';
import { directIncoming, forwardIncoming } from '../incoming/incoming-direction.service.ts';
import { closeIncoming, recordProgress } from '../incoming/incoming-handling.service.ts';
import { getIncoming } from '../incoming/incoming-query.service.ts';
import { ZDirectIncomingBody, ZProgressBody, ZRegisterIncomingBody } from '../incoming/incoming.schemas.ts';
import { buildSampleDraft } from '../outgoing/outgoing.sample.ts';
import { addDays, placeDate, storePdf, type DemoAgencyKey, type DemoCtx, type DemoUsername } from './demo.context.ts';

/** How far a paper document goes through ND 30's incoming flow (Art. 20–24). */
type Stage = 'received' | 'forwarded' | 'assigned' | 'in_progress' | 'done';

/** A paper document from an agency outside the install, scanned by the clerk; days are relative to today. */
type PaperLetter = {
  stage: Stage;
  issuer: { parentName: string; name: string; place: string };
  number: string; notation: string; typeCode: DocumentTypeCode; typeName: string | null; subject: string; urgency: UrgencyCode;
  /** dueDays: the answer the letter itself asks for, typed at registration (hạn giải quyết); deadlineDays: the leader's. */
  dateDays: number; arrivedDays: number; dueDays?: number; signer: { name: string; position: string }; body: string[];
  direction?: string; deadlineDays?: number; progress?: string; result?: string;
};

type Desk = { agency: DemoAgencyKey; clerk: DemoUsername; leader: DemoUsername; handler: DemoUsername };

const BTC = { parentName: '', name: 'Bộ Tài chính', place: 'Hà Nội' };
const VPCP = { parentName: '', name: 'Văn phòng Chính phủ', place: 'Hà Nội' };
const BNNMT = { parentName: '', name: 'Bộ Nông nghiệp và Môi trường', place: 'Hà Nội' };
const PROVINCE = 'Ủy ban nhân dân tỉnh Thái Hòa';
const sở = (name: string) => ({ parentName: PROVINCE, name: `${name} tỉnh Thái Hòa`, place: 'Thái Hòa' });

/** The People's Committee's paper post: one letter at each stage, from ministries and departments outside the install. */
function provinceLetters(year: number): PaperLetter[] {
  return [
    { stage: 'received', issuer: sở('Sở Tài chính'), number: '2145', notation: 'STC-QLNS', typeCode: 'cong_van', typeName: null,
      subject: `Hướng dẫn xây dựng dự toán ngân sách nhà nước năm ${year + 1}`, urgency: 'thuong', dateDays: -2, arrivedDays: 0,
      signer: { name: 'Phan Văn Đức', position: 'KT. Giám đốc\nPhó Giám đốc' },
      body: [`Thực hiện Luật Ngân sách nhà nước và hướng dẫn của Bộ Tài chính về xây dựng dự toán ngân sách nhà nước năm ${year + 1}, Sở Tài chính kính báo cáo Ủy ban nhân dân tỉnh phương án phân bổ dự toán cho các cơ quan, đơn vị cấp tỉnh và các xã, phường.`] },
    { stage: 'forwarded', issuer: BNNMT, number: '4512', notation: 'BNNMT-PCTT', typeCode: 'cong_van', typeName: null,
      subject: `Báo cáo công tác phòng, chống thiên tai và tìm kiếm cứu nạn năm ${year}`, urgency: 'khan', dateDays: -4, arrivedDays: -2, dueDays: 3,
      signer: { name: 'Lương Quốc Trung', position: 'KT. Bộ trưởng\nThứ trưởng' },
      body: ['Để tổng hợp báo cáo Chính phủ, Bộ Nông nghiệp và Môi trường đề nghị Ủy ban nhân dân các tỉnh, thành phố báo cáo kết quả công tác phòng, chống thiên tai và tìm kiếm cứu nạn, thiệt hại do mưa lũ và nhu cầu hỗ trợ khắc phục hậu quả.'] },
    { stage: 'forwarded', issuer: sở('Sở Xây dựng'), number: '318', notation: 'TTr-SXD', typeCode: 'to_trinh', typeName: 'Tờ trình',
      subject: `Đề nghị phê duyệt Kế hoạch phát triển nhà ở tỉnh Thái Hòa năm ${year + 1}`, urgency: 'thuong', dateDays: -3, arrivedDays: -1,
      signer: { name: 'Nguyễn Hữu Thắng', position: 'Giám đốc' },
      body: ['Căn cứ Luật Nhà ở và Chương trình phát triển nhà ở của tỉnh, Sở Xây dựng kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt Kế hoạch phát triển nhà ở năm tới (dự thảo kèm theo).'] },
    { stage: 'assigned', issuer: BTC, number: '13250', notation: 'BTC-NSNN', typeCode: 'cong_van', typeName: null,
      subject: `Báo cáo tình hình thực hiện dự toán ngân sách nhà nước năm ${year}`, urgency: 'thuong', dateDays: -15, arrivedDays: -12,
      signer: { name: 'Võ Thành Hưng', position: 'TL. Bộ trưởng\nVụ trưởng Vụ Ngân sách nhà nước' },
      body: ['Bộ Tài chính đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương báo cáo tình hình thực hiện thu, chi ngân sách nhà nước và ước thực hiện cả năm theo biểu mẫu kèm theo.'],
      direction: 'Giao đồng chí Nam (Phòng Tổng hợp) chủ trì, phối hợp Sở Tài chính tổng hợp số liệu, dự thảo báo cáo trình UBND tỉnh ký gửi Bộ Tài chính đúng hạn.', deadlineDays: -2 },
    { stage: 'in_progress', issuer: sở('Sở Khoa học và Công nghệ'), number: '1187', notation: 'SKHCN-CĐS', typeCode: 'cong_van', typeName: null,
      subject: `Góp ý dự thảo Kế hoạch chuyển đổi số tỉnh Thái Hòa năm ${year + 1}`, urgency: 'khan', dateDays: -6, arrivedDays: -5,
      signer: { name: 'Đinh Thị Phương', position: 'Giám đốc' },
      body: ['Sở Khoa học và Công nghệ gửi dự thảo Kế hoạch chuyển đổi số của tỉnh, đề nghị các cơ quan, đơn vị nghiên cứu, góp ý bằng văn bản, tập trung vào các chỉ tiêu về dịch vụ công trực tuyến và hồ sơ công việc điện tử.'],
      direction: 'Giao đồng chí Nam nghiên cứu, tổng hợp ý kiến góp ý của Văn phòng UBND tỉnh, gửi Sở Khoa học và Công nghệ.', deadlineDays: 1,
      progress: 'Đã tổng hợp ý kiến các phòng; đang hoàn thiện dự thảo văn bản góp ý, trình lãnh đạo Văn phòng cho ý kiến.' },
    { stage: 'done', issuer: VPCP, number: '548', notation: 'TB-VPCP', typeCode: 'thong_bao', typeName: 'Thông báo',
      subject: 'Kết luận của Phó Thủ tướng Chính phủ tại Hội nghị trực tuyến về cải cách thủ tục hành chính', urgency: 'thuong', dateDays: -24, arrivedDays: -22,
      signer: { name: 'Trần Quang Vinh', position: 'KT. Bộ trưởng, Chủ nhiệm\nPhó Chủ nhiệm' },
      body: ['Văn phòng Chính phủ thông báo kết luận của Phó Thủ tướng Chính phủ: các bộ, ngành, địa phương tiếp tục cắt giảm, đơn giản hóa thủ tục hành chính, đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình.'],
      direction: 'Giao đồng chí Nam tham mưu văn bản triển khai kết luận tới các sở, ngành và UBND các xã, phường.', deadlineDays: -10,
      result: 'Đã tham mưu UBND tỉnh ban hành văn bản chỉ đạo triển khai tới các sở, ngành, UBND các xã, phường.' },
  ];
}

/** The commune's paper post: a department's letter directed to its staff member. */
function communeLetters(year: number): PaperLetter[] {
  return [
    { stage: 'assigned', issuer: sở('Sở Nông nghiệp và Môi trường'), number: '2876', notation: 'SNNMT-TTBVTV', typeCode: 'cong_van', typeName: null,
      subject: `Triển khai biện pháp phòng, chống rét, bảo vệ sản xuất vụ Đông Xuân ${year}-${year + 1}`, urgency: 'khan', dateDays: -3, arrivedDays: -2,
      signer: { name: 'Hà Văn Lợi', position: 'KT. Giám đốc\nPhó Giám đốc' },
      body: ['Dự báo đợt không khí lạnh tăng cường trong thời gian tới, Sở Nông nghiệp và Môi trường đề nghị UBND các xã chỉ đạo nhân dân chủ động che chắn chuồng trại, bảo vệ mạ và cây trồng vụ Đông Xuân.'],
      direction: 'Giao đồng chí Yến tham mưu văn bản chỉ đạo các thôn triển khai, báo cáo kết quả trước hạn.', deadlineDays: 5 },
  ];
}

/** Seeds the People's Committee's paper post (clerk vanthu, leader lanhdao, handler chuyenvien). */
export async function seedProvinceIncoming(c: DemoCtx): Promise<number> {
  return seedLetters(c, { agency: 'tinh', clerk: 'vanthu', leader: 'lanhdao', handler: 'chuyenvien' }, provinceLetters(c.year));
}

/** Seeds the commune's paper post (clerk xa.vanthu, leader xa.chutich, handler xa.chuyenvien). */
export async function seedCommuneIncoming(c: DemoCtx): Promise<number> {
  return seedLetters(c, { agency: 'xa', clerk: 'xa.vanthu', leader: 'xa.chutich', handler: 'xa.chuyenvien' }, communeLetters(c.year));
}

// Oldest arrival first, so số đến follow the order the post came in.
async function seedLetters(c: DemoCtx, desk: Desk, letters: PaperLetter[]): Promise<number> {
  for (const letter of [...letters].sort((a, b) => a.arrivedDays - b.arrivedDays)) await walkLetter(c, desk, letter);
  return letters.length;
}

/**
 * The deadline typed at registration: the letter's own, else — for a letter the story has overdue, directed
 * days ago — the leader's past deadline, which a direction given today may keep but not set (incoming.deadline_past).
 */
const dueDateOf = (c: DemoCtx, l: PaperLetter) => {
  const days = l.dueDays ?? (l.deadlineDays !== undefined && l.deadlineDays < 0 ? l.deadlineDays : undefined);
  return days === undefined ? null : addDays(c.today, days);
};

/** One letter through the real services, step by step, as far as its stage: receive, register, forward, direct, progress, close. */
async function walkLetter(c: DemoCtx, desk: Desk, l: PaperLetter): Promise<void> {
  const { db, deps } = c;
  const clerk = c.actor(desk.clerk);
  const pdf = await buildSampleDraft({
    parentName: l.issuer.parentName, agencyName: l.issuer.name, notation: l.notation,
    issued: { numberText: `${l.number}/${l.notation}`, placeDate: placeDate(l.issuer.place, addDays(c.today, l.dateDays)) }, typeName: l.typeName, subject: l.subject, body: l.body, recipients: [PROVINCE.replace('Ủy ban nhân dân', 'UBND'), 'Lưu: VT'], position: l.signer.position, signerName: l.signer.name,
  });
  const upload = await storePdf(c, pdf, `${l.number}-${l.notation}.pdf`);
  const doc = await receivePaperScan({ db, deps, actor: clerk, uploads: [upload] });
  if (l.stage === 'received') return;
  await registerIncoming({ db, actor: clerk, id: doc.id, body: ZRegisterIncomingBody.parse({
    arrivedAt: `${addDays(c.today, l.arrivedDays)}T08:30:00+07:00`, issuerName: l.issuer.name, number: l.number, notation: l.notation,
    documentDate: addDays(c.today, l.dateDays), typeCode: l.typeCode, subject: l.subject, urgency: l.urgency, pageCount: 1,
    signerName: l.signer.name, signerPosition: l.signer.position.split('\n').at(-1), dueDate: dueDateOf(c, l),
  }) });
  const leader = c.actor(desk.leader);
  await forwardIncoming({ db, actor: clerk, id: doc.id, leaderId: leader.id, note: 'Kính trình đồng chí cho ý kiến chỉ đạo.' });
  if (l.stage === 'forwarded') return;
  const handler = c.actor(desk.handler);
  await directIncoming({ db, actor: leader, id: doc.id, body: ZDirectIncomingBody.parse({
    direction: l.direction, lead: { userId: handler.id }, deadline: l.deadlineDays === undefined ? null : addDays(c.today, l.deadlineDays),
  }) });
  if (l.stage === 'assigned') return;
  const lead = (await getIncoming({ db, actor: handler, id: doc.id })).assignments.find((a) => a.role === 'lead' && a.userId === handler.id);
  if (!lead) throw new Error(`demo: no lead part on ${l.notation}`);
  await recordProgress({ db, actor: handler, id: doc.id, body: ZProgressBody.parse({ assignmentId: lead.id, text: l.progress ?? l.result, isDone: l.stage === 'done' }) });
  if (l.stage === 'done') await closeIncoming({ db, actor: handler, id: doc.id, note: l.result ?? '' });
}
