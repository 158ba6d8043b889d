import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { storeUpload } from '../files/files.service.ts';
import { receiveExternalDocuments, type ExternalIntake, type IncomingMetadata } from './incoming.service.ts';
import { INCOMING_JOBS } from './incoming.jobs.ts';
import { makeTextPdf } from './incoming.testing.ts';

const t = useTestApp();

const metadata = (o: Partial<IncomingMetadata> = {}): IncomingMetadata => ({
  number: 27, notation: 'SNNPTNT-TT', documentDate: '2026-12-01', typeCode: 'cong_van', subject: 'Về việc báo cáo tình hình sản xuất vụ đông', urgency: 'thuong',
  secrecy: 'thuong', signerName: 'Lê Văn Bình', signerPosition: 'Giám đốc', pageCount: 1, ...o,
});

async function world() {
  const me = await makeAgency(t.db);
  const other = await makeAgency(t.db);
  return {
    me,
    clerk: (await signedInClient(t.app, t.db, { agencyId: me.id, roles: ['clerk'] })).client,
    staff: (await signedInClient(t.app, t.db, { agencyId: me.id, roles: ['staff'] })).client,
    otherClerk: (await signedInClient(t.app, t.db, { agencyId: other.id, roles: ['clerk'] })).client,
  };
}

/** Documents arriving through the exchange in one batch, each with its main file (a PDF's page count is not recorded, as the connector stores it). */
async function receive(agencyId: string, docs: readonly { bytes: Uint8Array; fileName?: string; metadata?: Partial<IncomingMetadata> }[]) {
  const intakes: ExternalIntake[] = [];
  for (const [i, d] of docs.entries()) {
    const file = await storeUpload(t.deps, { source: d.bytes, fileName: d.fileName ?? 'cong-van.pdf' });
    intakes.push({ recipientAgencyId: agencyId, documentId: `doc-${crypto.randomUUID()}-${i}`, sender: { code: '000.00.12.H40', name: 'Sở Nông nghiệp' }, metadata: metadata(d.metadata), files: [{ ...file, kind: 'main' }] });
  }
  return (await t.db.transaction().execute((tx) => receiveExternalDocuments(tx, intakes))).map((d) => d.id);
}

const runJobs = async () => {
  const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false });
  while ((await worker.runOnce()) > 0);
};
const found = async (client: Awaited<ReturnType<typeof world>>['clerk'], q: string) =>
  ((await client.get(`/api/incoming?q=${encodeURIComponent(q)}`)).body.data as { id: string }[]).map((d) => d.id);

describe.skipIf(!needTool('pdftotext', 'ocrmypdf'))('the content of electronic incoming documents is searchable', () => {
  test('a born-digital document is found by a phrase of its second page, with or without diacritics, once its text is read; its số/ký hiệu and trích yếu stay as received', async () => {
    const w = await world();
    const pdf = await makeTextPdf(['SỞ NÔNG NGHIỆP\nVề việc báo cáo tình hình sản xuất vụ đông', 'Đề nghị các xã thống kê\ndiện tích lúa bị ngập úng']);
    const [id] = await receive(w.me.id, [{ bytes: pdf }]);
    expect(await found(w.clerk, 'ngập úng')).toEqual([]);

    await runJobs();
    for (const q of ['lúa bị ngập úng', 'lua bi ngap ung', 'NGẬP ÚNG']) expect(await found(w.clerk, q), q).toEqual([id]);
    const detail = (await w.clerk.get(`/api/incoming/${id}`)).body.data as { doc: Record<string, unknown>; files: { kind: string }[] };
    expect(detail.doc).toMatchObject({ ocrStatus: 'done', status: 'received', number: '27', notation: 'SNNPTNT-TT', subject: 'Về việc báo cáo tình hình sản xuất vụ đông', issuerName: 'Sở Nông nghiệp' });
    // a born-digital PDF is only read: no OCR'd copy beside it
    expect(detail.files.map((f) => f.kind)).toEqual(['main']);
  });

  test('a colleague not handling it, and another agency, do not find it by its words', async () => {
    const w = await world();
    const [id] = await receive(w.me.id, [{ bytes: await makeTextPdf(['Kế hoạch phòng trừ sâu cuốn lá nhỏ']) }]);
    await runJobs();
    expect(await found(w.clerk, 'sau cuon la')).toEqual([id]);
    expect(await found(w.staff, 'sau cuon la')).toEqual([]);
    expect(await found(w.otherClerk, 'sâu cuốn lá')).toEqual([]);
  });

  test('a batch enqueues one text job per document; one refused at once (Tối mật) gets none; a file that cannot be read leaves the document to be handled as usual', async () => {
    const w = await world();
    const ids = await receive(w.me.id, [
      { bytes: await makeTextPdf(['Thông báo lịch tiếp công dân tháng mười hai']) },
      { bytes: new TextEncoder().encode('%PDF-1.7 không phải một tệp PDF đọc được'), metadata: { subject: 'Về việc kiểm tra tệp hỏng' } },
      { bytes: await makeTextPdf(['Nội dung tối mật']), metadata: { secrecy: 'toi_mat' } },
    ]);
    const jobs = await t.db.selectFrom('job').select('dedupeKey').where('type', '=', 'incoming.ocr').where('dedupeKey', 'in', ids.map((id) => `incoming.ocr:${id}`)).execute();
    expect(jobs.map((j) => j.dedupeKey).sort()).toEqual(ids.slice(0, 2).map((id) => `incoming.ocr:${id}`).sort());

    await runJobs();
    const doc = async (id: string | undefined) => ((await w.clerk.get(`/api/incoming/${id}`)).body.data as { doc: Record<string, unknown> }).doc;
    expect(await doc(ids[0])).toMatchObject({ ocrStatus: 'done' });
    expect(await doc(ids[1])).toMatchObject({ ocrStatus: 'failed', status: 'received', subject: 'Về việc kiểm tra tệp hỏng' });
    expect(await doc(ids[2])).toMatchObject({ ocrStatus: 'none', status: 'refused' });
    const registered = await w.clerk.post(`/api/incoming/${ids[1]}/register`, {
      issuerName: 'Sở Nông nghiệp', issuerCode: '', number: '27', notation: 'SNNPTNT-TT', documentDate: '2026-12-01', typeCode: 'cong_van',
      subject: 'Về việc kiểm tra tệp hỏng', urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '', notes: '',
    });
    expect(registered.status).toBe(200);
  });
});
