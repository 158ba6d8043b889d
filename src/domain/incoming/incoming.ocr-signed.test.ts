import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeAgency } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { issueTo, makeInstall } from '../exchange/connector/connector.testing.ts';
import { listFiles, storeUpload } from '../files/files.service.ts';
import { receiveExternalDocuments } from './incoming.service.ts';
import { INCOMING_JOBS } from './incoming.jobs.ts';
import { congVanWithSignaturePage, makeScan, signAsIssued } from './incoming.testing.ts';

// demo: the install's agencies get the demo certificates they issue with
const t = useTestApp({ demo: true });
const SIGNER = 'Nguyễn Văn An';

const runJobs = async () => {
  const worker = startWorker({ deps: t.deps, jobs: INCOMING_JOBS, autoStart: false });
  while ((await worker.runOnce()) > 0);
};

type Detail = { doc: Record<string, unknown> & { verifyReport: { files: { fileId: string }[] } }; files: { id: string; kind: string; fileName: string }[] };

describe.skipIf(!needTool('soffice', 'pdftotext', 'pdfimages', 'ocrmypdf', 'img2pdf', 'pdftoppm', 'qpdf'))('a digitally signed document received electronically', () => {
  test('a born-digital Công văn whose last page holds only the signature block (signer\'s image and seal beside «GIÁM ĐỐC — Nguyễn Văn An») is read for search as it is: no OCR\'d copy; the signed file received stays its only file, the one whose signatures are checked', async () => {
    const sender = await makeInstall(t.db, { deps: t.deps, name: 'Sở Nội vụ tỉnh Thử' });
    await t.db.updateTable('appUser').set({ fullName: SIGNER }).where('id', '=', sender.leader.user.id).execute();
    const recipient = await makeAgency(t.db);
    const { client } = await signedInClient(t.app, t.db, { agencyId: recipient.id, roles: ['clerk'] });
    const issued = await issueTo(sender, [{ kind: 'agency', agencyId: recipient.id }], 'V/v thử nghiệm liên thông văn bản', await congVanWithSignaturePage({ signerName: SIGNER }));
    const issuedFile = (await listFiles(t.db, 'outgoing', issued.id)).find((f) => f.kind === 'signed' && f.note === 'issued');
    const incoming = await t.db.selectFrom('incomingDocument').select('id').where('agencyId', '=', recipient.id).where('sourceOutgoingId', '=', issued.id).executeTakeFirstOrThrow();

    await runJobs();
    const detail = (await client.get(`/api/incoming/${incoming.id}`)).body.data as Detail;
    expect(detail.files.map((f) => f.kind)).toEqual(['main']);
    expect((await listFiles(t.db, 'incoming', incoming.id))[0]?.sha256).toBe(issuedFile?.sha256);
    expect(detail.doc.verifyReport.files.map((f) => f.fileId)).toEqual([detail.files[0]?.id]);
    expect(detail.doc).toMatchObject({ ocrStatus: 'done', ocrText: expect.stringContaining('Trục liên thông văn bản quốc gia') });
    // the second page holds the signature block only: a few letters beside the signer's image and the seal
    expect(detail.doc.ocrText).toMatch(new RegExp(`\f\\s*GIÁM ĐỐC\\s+${SIGNER}\\s*$`));
    const finished = await t.db.selectFrom('auditLog').select('data').where('entityId', '=', incoming.id).where('type', '=', 'INCOMING_OCR_FINISHED').executeTakeFirstOrThrow();
    expect(finished.data).toMatchObject({ outcome: 'has_text' });
  });

  test('a scan that was signed and then sent is OCR\'d into a copy beside it: the received file stays the document of record, the only one whose signatures are checked', async () => {
    const me = await makeAgency(t.db);
    const { client } = await signedInClient(t.app, t.db, { agencyId: me.id, roles: ['clerk'] });
    const signedScan = await signAsIssued((await makeScan(['PHỤ LỤC\nDanh sách hộ chăn nuôi gia cầm\nxã Tân Lập'])).pdf, { signerName: SIGNER, position: 'Giám đốc' });
    const file = await storeUpload(t.deps, { source: signedScan, fileName: 'phu-luc.pdf' });
    const [doc] = await t.db.transaction().execute((tx) => receiveExternalDocuments(tx, [{
      recipientAgencyId: me.id, documentId: `doc-${crypto.randomUUID()}`, sender: { code: '000.00.12.H40', name: 'Sở Nông nghiệp' }, files: [{ ...file, kind: 'main' }],
      metadata: { number: 27, notation: 'SNNPTNT-TT', documentDate: '2026-12-01', typeCode: 'cong_van', subject: 'Về việc thống kê hộ chăn nuôi', urgency: 'thuong', secrecy: 'thuong', signerName: SIGNER, signerPosition: 'Giám đốc', pageCount: 1 },
    }]));

    await runJobs();
    const detail = (await client.get(`/api/incoming/${doc?.id}`)).body.data as Detail;
    expect(detail.files.map((f) => [f.kind, f.fileName])).toEqual([['main', 'phu-luc.pdf'], ['ocr', 'phu-luc-ocr.pdf']]);
    const main = detail.files[0];
    expect(Buffer.from(await t.deps.blobs.get(file.sha256)).equals(Buffer.from(signedScan))).toBe(true);
    expect((await listFiles(t.db, 'incoming', doc?.id ?? '')).find((f) => f.kind === 'main')?.sha256).toBe(file.sha256);
    expect(detail.doc.verifyReport.files.map((f) => f.fileId)).toEqual([main?.id]);
    expect(detail.doc).toMatchObject({ ocrStatus: 'done', ocrText: expect.stringMatching(/chăn nuôi/) });
  });
});
