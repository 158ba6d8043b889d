import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser, TEST_PASSWORD } from '../../test/factories.ts';
import { testClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import type { Role } from '../../policies/actor.ts';
import { INCOMING_JOBS } from './incoming.jobs.ts';
import { vietnamDay } from '../../platform/dates.ts';
import { makeMixedPdf, makeScan, makeTextPdf, scanForm } from './incoming.testing.ts';

const t = useTestApp();
let agencyId: string;
let unitId: string;
const people: Record<string, { id: string; username: string }> = {};

type Client = ReturnType<typeof testClient>;
type Doc = { id: string; status: string; arrivalNumber: number | null; arrivalNumberText: string | null; ocrStatus: string; isOverdue: boolean; duplicateOfId: string | null };

async function login(name: string): Promise<Client> {
  const client = testClient(t.app);
  const person = people[name];
  if (!person) throw new Error(name);
  expect((await client.login(person.username, TEST_PASSWORD)).status).toBe(200);
  return client;
}

/** Multipart upload through the real middleware (cookie + CSRF token), as the browser sends it. */
async function upload(client: Client, form: FormData, path = '/api/incoming/scan') {
  const session = await client.get('/api/auth/session');
  const csrf = (session.body.data as { csrfToken: string }).csrfToken;
  const res = await t.app.request(path, { method: 'POST', headers: { cookie: client.cookie, 'x-csrf-token': csrf }, body: form });
  return { status: res.status, body: (await res.json()) as { data?: Doc & Record<string, unknown>; error?: { code: string; details?: { storedSha256?: string[] } } } };
}

beforeAll(async () => {
  agencyId = (await makeAgency(t.db)).id;
  unitId = (await makeUnit(t.db, agencyId, 'Phòng Tổng hợp')).id;
  const make = async (name: string, roles: Role[], inUnit = false) => {
    const { user } = await makeUser(t.db, { agencyId, roles, unitId: inUnit ? unitId : null });
    people[name] = { id: user.id, username: user.username };
  };
  await make('clerk', ['clerk']);
  await make('leader', ['leader']);
  await make('deputy', ['leader']);
  await make('head', ['unit_head'], true);
  await make('staff', ['staff'], true);
  await make('staff2', ['staff'], true);
  await make('outsider', ['staff']);
});

describe.skipIf(!needTool('ocrmypdf', 'img2pdf', 'pdftoppm', 'pdftotext'))('a paper document from scan to closing', () => {
  test('clerk uploads an image-only scan → OCR text is searchable → registered with số đến → directed → handled → closed', async () => {
    const clerk = await login('clerk');
    const scan = await makeScan(['CÔNG VĂN KHẨN\nVề việc phòng chống bão lũ\nỦy ban nhân dân huyện Bình Minh']);
    const received = await upload(clerk, scanForm([{ bytes: scan.pdf, name: 'cong-van-bao-lu.pdf', type: 'application/pdf' }]));
    expect(received.status).toBe(201);
    const id = received.body.data?.id ?? '';
    expect(received.body.data?.ocrStatus).toBe('pending');
    expect((await clerk.get('/api/incoming?q=bão')).body.data).toEqual([]);

    const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false });
    expect(await worker.runOnce()).toBeGreaterThan(0);
    const detail = (await clerk.get(`/api/incoming/${id}`)).body.data as { doc: Doc & { ocrText: string }; files: { kind: string; sha256: string }[] };
    expect(detail.doc.ocrStatus).toBe('done');
    expect(detail.doc.ocrText).toMatch(/phòng chống bão/);
    expect(detail.files.map((f) => f.kind).sort()).toEqual(['ocr', 'scan']);
    const original = detail.files.find((f) => f.kind === 'scan');
    expect(Buffer.from(await t.deps.blobs.get(original?.sha256 ?? '')).equals(Buffer.from(scan.pdf))).toBe(true);
    const found = (await clerk.get(`/api/incoming?q=${encodeURIComponent('BÃO LŨ')}`)).body.data as Doc[];
    expect(found.map((d) => d.id)).toEqual([id]);

    const registered = await clerk.post(`/api/incoming/${id}/register`, {
      issuerName: 'Ủy ban nhân dân huyện Bình Minh', number: '45', notation: 'UBND-VP', documentDate: '2026-11-20', typeCode: 'cong_van',
      subject: 'Về việc phòng chống bão lũ', urgency: 'khan', pageCount: 1, signerName: 'Trần Văn B', dueDate: '2026-11-30',
    });
    expect(registered.status).toBe(200);
    expect((registered.body.data as Doc).arrivalNumberText).toBe('01');
    // Typed as a phone keyboard without Telex types it, or by its number or ký hiệu alone, it is found too; another word is not.
    const ids = async (q: string) => ((await clerk.get(`/api/incoming?box=all&q=${encodeURIComponent(q)}`)).body.data as Doc[]).map((d) => d.id);
    for (const q of ['phong chong bao lu', 'Binh Minh', 'phòng chong', '45', 'UBND-VP', 'vp', '45/UBND-VP']) expect(await ids(q), q).toEqual([id]);
    expect(await ids('phong chong han han')).toEqual([]);
    expect((await clerk.post(`/api/incoming/${id}/refuse`, { reason: 'Gửi nhầm nơi' })).body.error?.code).toBe('incoming.refuse_paper');
    expect((await clerk.post(`/api/incoming/${id}/forward`, { leaderId: people.leader?.id })).status).toBe(200);

    const leader = await login('leader');
    expect(((await leader.get('/api/incoming?box=direct')).body.data as Doc[]).map((d) => d.id)).toEqual([id]);
    const directed = await leader.post(`/api/incoming/${id}/direct`, {
      direction: 'Giao Phòng Tổng hợp chủ trì, báo cáo trong tuần.', lead: { unitId }, support: [{ userId: people.staff2?.id }], info: [{ userId: people.deputy?.id }],
      deadline: new Date(Date.parse(`${vietnamDay()}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10), // a day already past is refused
    });
    expect(directed.status).toBe(200);

    const head = await login('head');
    const view = (await head.get(`/api/incoming/${id}`)).body.data as { assignments: { id: string; role: string; unitId: string | null; canReassign: boolean }[] };
    const unitPart = view.assignments.find((a) => a.unitId === unitId);
    expect(unitPart?.canReassign).toBe(true);
    expect((await head.post(`/api/incoming/${id}/reassign`, { assignmentId: unitPart?.id, users: [{ userId: people.staff?.id, role: 'lead' }], note: 'Đ/c Nam xử lý' })).status).toBe(200);
    expect((await head.post(`/api/incoming/${id}/reassign`, { assignmentId: unitPart?.id, users: [{ userId: people.outsider?.id, role: 'support' }] })).body.error?.code).toBe('incoming.assignee_invalid');

    const staff = await login('staff');
    const mine = (await staff.get('/api/incoming?box=mine')).body.data as Doc[];
    expect(mine.map((d) => d.id)).toEqual([id]);
    const staffView = (await staff.get(`/api/incoming/${id}`)).body.data as { assignments: { id: string; isMine: boolean; role: string }[] };
    const myPart = staffView.assignments.find((a) => a.isMine && a.role === 'lead');
    const resultForm = scanForm([{ bytes: scan.pdf, name: 'bao-cao.pdf', type: 'application/pdf' }]);
    const result = await upload(staff, resultForm, `/api/incoming/${id}/results?assignmentId=${myPart?.id}`);
    expect(result.status).toBe(201);
    const progressed = await staff.post(`/api/incoming/${id}/progress`, { assignmentId: myPart?.id, text: 'Đã dự thảo báo cáo', fileId: result.body.data?.id, response: { notation: '120/UBND-TH', date: '2026-11-27' } });
    expect((progressed.body.data as Doc).status).toBe('in_progress');
    expect((await staff.post(`/api/incoming/${id}/close`, { note: 'Đã trả lời bằng Công văn 120/UBND-TH' })).status).toBe(200);
    expect((await staff.post(`/api/incoming/${id}/close`, { note: 'again' })).body.error?.code).toBe('incoming.bad_status');
    expect((await staff.post(`/api/incoming/${id}/reopen`, { reason: 'Lãnh đạo yêu cầu bổ sung số liệu' })).status).toBe(200);
    expect((await staff.post(`/api/incoming/${id}/close`, { note: 'Đã bổ sung' })).status).toBe(200);

    const outsider = await login('outsider');
    expect((await outsider.get(`/api/incoming/${id}`)).body.error?.code).toBe('incoming.not_found');
    expect((await outsider.post(`/api/incoming/${id}/progress`, { assignmentId: myPart?.id, text: 'x' })).status).toBe(404);

    const final = (await clerk.get(`/api/incoming/${id}`)).body.data as { doc: Doc; timeline: { type: string }[]; progress: { kind: string; responseNotation: string | null }[] };
    expect(final.doc.status).toBe('done');
    expect(final.timeline.map((t) => t.type)).toEqual(expect.arrayContaining(['INCOMING_RECEIVED', 'INCOMING_OCR_FINISHED', 'INCOMING_REGISTERED', 'INCOMING_FORWARDED', 'INCOMING_DIRECTED', 'INCOMING_REASSIGNED', 'INCOMING_PROGRESS', 'INCOMING_CLOSED', 'INCOMING_REOPENED']));
    expect(final.progress.find((p) => p.kind === 'result')?.responseNotation).toBe('120/UBND-TH');
    const parts = (await head.get(`/api/incoming/${id}`)).body.data as { assignments: { unitId: string | null; status: string }[] };
    expect(parts.assignments.find((a) => a.unitId === unitId)?.status).toBe('in_progress');

    const book = (await clerk.get('/api/incoming/register-book?year=' + new Date().getFullYear())).body.data as { rows: string[][]; columns: unknown[] };
    expect(book.columns).toHaveLength(10);
    expect(book.rows[0]?.[1]).toBe('01');
    expect(book.rows[0]?.[2]).toBe('Ủy ban nhân dân huyện Bình Minh');
    const follow = (await clerk.get('/api/incoming/register-book?kind=follow_up')).body.data as { rows: string[][]; columns: unknown[] };
    expect(follow.columns).toHaveLength(7);
    expect(follow.rows[0]?.[5]).toBe('120/UBND-TH');
    const pdf = await t.app.request('/api/incoming/register-book/download?format=pdf', { headers: { cookie: clerk.cookie } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

const letter = (number: string, subject: string) => [
  'UBND HUYỆN HƯƠNG SƠN', 'PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG', `Số: ${number}/TNMT-ĐĐ`, 'Hương Sơn, ngày 02 tháng 12 năm 2026', '',
  subject, 'Kính gửi: Ủy ban nhân dân các xã.', 'Đề nghị các đơn vị thực hiện./.', 'TRƯỞNG PHÒNG', '', 'Trần Thị Hoa',
].join('\n');

describe.skipIf(!needTool('ocrmypdf', 'img2pdf', 'pdftoppm', 'pdftotext'))('scans waiting to be registered', () => {
  test('two scans in the clerk\'s intake list are told apart by file name and what OCR read; the entry is prefilled; the timeline names people', async () => {
    const clerk = await login('clerk');
    const ids: string[] = [];
    for (const [name, number, subject] of [['cv-214.pdf', '214', 'Về việc rà soát hồ sơ đất đai'], ['cv-88.pdf', '88', 'Về việc kiểm kê rừng năm 2026']] as const) {
      const scan = await makeScan([letter(number, subject)]);
      ids.push((await upload(clerk, scanForm([{ bytes: scan.pdf, name, type: 'application/pdf' }]))).body.data?.id ?? '');
    }
    type Item = { id: string; subject: string; scanFileName: string | null; ocrGuess: { subject: string; number: string; notation: string; documentDate: string | null; signerName: string } | null };
    const before = (await clerk.get('/api/incoming?box=intake')).body.data as Item[];
    expect(before.filter((d) => ids.includes(d.id)).map((d) => [d.scanFileName, d.ocrGuess]).sort()).toEqual([['cv-214.pdf', null], ['cv-88.pdf', null]]);

    const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false });
    while (await worker.runOnce() > 0);
    const after = (await clerk.get('/api/incoming?box=intake')).body.data as Item[];
    const first = after.find((d) => d.id === ids[0]);
    expect(first).toMatchObject({ subject: '', scanFileName: 'cv-214.pdf', ocrGuess: { number: '214', notation: 'TNMT-ĐĐ', documentDate: '2026-12-02', signerName: 'Trần Thị Hoa' } });
    expect(first?.ocrGuess?.subject).toMatch(/rà soát hồ sơ đất đai/);
    expect(after.find((d) => d.id === ids[1])?.ocrGuess?.subject).toMatch(/kiểm kê rừng/);

    const detail = (await clerk.get(`/api/incoming/${ids[0]}`)).body.data as { timeline: { type: string; actorName: string; isSystem: boolean }[] };
    expect(detail.timeline.map((e) => [e.type, e.actorName, e.isSystem])).toEqual([
      ['INCOMING_RECEIVED', `Người dùng ${people.clerk?.username}`, false], ['INCOMING_OCR_FINISHED', 'system', true],
    ]);

    // once registered, the register entry is what counts: no more guesses
    const registered = await clerk.post(`/api/incoming/${ids[0]}/register`, { issuerName: 'Phòng TN&MT huyện Hương Sơn', documentDate: '2026-12-02', typeCode: 'cong_van', subject: 'Về việc rà soát hồ sơ đất đai' });
    expect((registered.body.data as Item).ocrGuess).toBeNull();
  });
});

describe.skipIf(!needTool('ocrmypdf', 'pdftotext'))('a PDF that already has its text', () => {
  test('received as paper, it is found by a word of its page and its entry is prefilled, without an OCR copy whose text would be mangled', async () => {
    const clerk = await login('clerk');
    const pdf = await makeTextPdf([letter('45', 'Về việc phòng chống dịch bệnh cúm gia cầm')]);
    const id = (await upload(clerk, scanForm([{ bytes: pdf, name: 'cv-45-email.pdf', type: 'application/pdf' }]))).body.data?.id ?? '';
    const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false });
    while (await worker.runOnce() > 0);
    const found = (await clerk.get(`/api/incoming?q=${encodeURIComponent('gia cầm')}`)).body.data as { id: string; ocrGuess: { subject: string; number: string } | null }[];
    expect(found.map((d) => [d.id, d.ocrGuess?.subject, d.ocrGuess?.number])).toEqual([[id, 'Về việc phòng chống dịch bệnh cúm gia cầm', '45']]);
    const detail = (await clerk.get(`/api/incoming/${id}`)).body.data as { doc: { ocrStatus: string }; files: { kind: string }[] };
    expect([detail.doc.ocrStatus, detail.files.map((f) => f.kind)]).toEqual(['done', ['scan']]);
  });
});

describe.skipIf(!needTool('ocrmypdf', 'img2pdf', 'pdftoppm', 'pdftotext'))('a PDF with a typed letter and a scanned annex', () => {
  test('received as paper, it is found by a word of the letter and by a word of the annex; the letter\'s text stays as typed', async () => {
    const clerk = await login('clerk');
    const pdf = await makeMixedPdf([{ typed: letter('52', 'Về việc tiêm phòng vắc xin lở mồm long móng') }, { scanned: 'PHỤ LỤC\nDanh sách hộ chăn nuôi trâu bò\nxã Tân Lập' }]);
    const id = (await upload(clerk, scanForm([{ bytes: pdf, name: 'cv-52-kem-phu-luc.pdf', type: 'application/pdf' }]))).body.data?.id ?? '';
    const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false });
    while (await worker.runOnce() > 0);
    const ids = async (q: string) => ((await clerk.get(`/api/incoming?q=${encodeURIComponent(q)}`)).body.data as Doc[]).map((d) => d.id);
    for (const q of ['lở mồm long móng', 'lo mom long mong', 'chăn nuôi trâu bò']) expect(await ids(q), q).toEqual([id]);
    const detail = (await clerk.get(`/api/incoming/${id}`)).body.data as { doc: Doc & { ocrText: string; ocrGuess: { number: string; subject: string } | null }; files: { kind: string }[] };
    expect(detail.doc.ocrStatus).toBe('done');
    expect(detail.doc.ocrText).toContain('Về việc tiêm phòng vắc xin lở mồm long móng');
    expect(detail.doc.ocrGuess).toMatchObject({ number: '52', subject: 'Về việc tiêm phòng vắc xin lở mồm long móng' });
    expect(detail.files.map((f) => f.kind).sort()).toEqual(['ocr', 'scan']);
  });
});
