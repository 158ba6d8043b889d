import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import type { Actor } from '../../policies/actor.ts';
import { useTestApp } from '../../test/app.ts';
import { makeAgency, makeUnit } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { attachFile } from '../files/files.service.ts';
import { makeTextPdf } from '../incoming/incoming.testing.ts';
import { countFilesOfRecord } from './records-file-export.ts';
import { addDocumentToFile, openRecordsFile } from './records.service.ts';
import { makeIncomingFor, makeOutgoingBy } from './records.testing.ts';

const t = useTestApp();

/** Stores a PDF whose pages carry the given texts and records it as a file of the document; returns its SHA-256. */
async function attachPdf(actor: Actor, owner: { ownerType: 'incoming' | 'outgoing'; ownerId: string }, kind: string, pages: string[], note = '') {
  const stored = await t.deps.blobs.put(await makeTextPdf(pages));
  await recordBlob(t.db, { ...stored, contentType: 'application/pdf' });
  await attachFile(t.db, { agencyId: actor.agencyId, ...owner, kind, note, upload: { ...stored, fileName: `${kind}.pdf`, contentType: 'application/pdf' }, pageCount: pages.length, createdBy: actor.id });
  return stored.sha256;
}

/**
 * A staff member's file holding, in the order they were filed: an outgoing document issued on 10/04/2026
 * (its issued PDF has 3 pages; its draft is not part of it), an incoming one dated 02/03/2026 (2 pages and
 * a 1-page appendix), and an outgoing one issued on 01/05/2026 that has no PDF.
 */
async function makeFileWithDocuments() {
  const agencyId = (await makeAgency(t.db)).id;
  const unitId = (await makeUnit(t.db, agencyId)).id;
  const staff = await signedInClient(t.app, t.db, { roles: ['staff'], agencyId, unitId });
  const a = staff.actor;
  const issued = await makeOutgoingBy(t.db, a, { issuedAt: '2026-04-10T03:00:00Z', subject: 'Báo cáo kết quả chuyển đổi số quý I' });
  await attachPdf(a, { ownerType: 'outgoing', ownerId: issued }, 'main', ['Dự thảo không kết xuất']);
  const outSha = await attachPdf(a, { ownerType: 'outgoing', ownerId: issued }, 'signed', ['Van ban di trang 1', 'Van ban di trang 2', 'Van ban di trang 3'], 'issued');
  const incoming = await makeIncomingFor(t.db, a, { status: 'done', documentDate: '2026-03-02', pageCount: 2, subject: 'Về việc triển khai chuyển đổi số' });
  const inSha = await attachPdf(a, { ownerType: 'incoming', ownerId: incoming }, 'main', ['Van ban den trang 1', 'Van ban den trang 2']);
  const appendixSha = await attachPdf(a, { ownerType: 'incoming', ownerId: incoming }, 'appendix', ['Phu luc']);
  const noPdf = await makeOutgoingBy(t.db, a, { issuedAt: '2026-05-01T03:00:00Z', subject: 'Công văn chưa có tệp' });
  const fileId = await openRecordsFile({ db: t.db, actor: a, body: { notation: '07.TH', title: 'Hồ sơ chuyển đổi số năm 2026 & các văn bản <liên quan>', retention: '20', description: '' } });
  for (const [ownerType, ownerId] of [['outgoing', issued], ['incoming', incoming], ['outgoing', noPdf]] as const) {
    await addDocumentToFile({ db: t.db, actor: a, fileId, ref: { ownerType, ownerId } });
  }
  return { agencyId, unitId, staff, fileId, incoming, issued, noPdf, inSha, outSha, appendixSha };
}

const fetchBytes = async (url: string, cookie: string) => {
  const res = await t.app.request(url, { headers: { cookie } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
};
const saved = async (bytes: Uint8Array, name: string) => {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'vanthu-file-export-test-')), name);
  await writeFile(file, bytes);
  return file;
};
const pagesOf = (file: string) => Number(execFileSync('qpdf', ['--show-npages', file]).toString().trim());
const pageText = (file: string, page: number) => execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', file, '-']).toString();

describe.runIf(needTool('qpdf', 'pdftotext', 'xmllint'))('exporting a whole work file (ND 30 Phụ lục VI III.4.g)', () => {
  test('as PDF: the cover, the mục lục, then each document\'s PDF in the order of their dates; the one without a PDF is named on the cover', async () => {
    const f = await makeFileWithDocuments();
    const { res, bytes } = await fetchBytes(`/api/records/files/${f.fileId}/export.pdf`, f.staff.client.cookie);
    expect([res.status, res.headers.get('content-type'), res.headers.get('content-disposition')]).toEqual([200, 'application/pdf', 'attachment; filename="ho-so-2026-07.TH.pdf"']);
    const pdf = await saved(bytes, 'export.pdf');
    const indexPages = pagesOf(await saved((await fetchBytes(`/api/records/files/${f.fileId}/index`, f.staff.client.cookie)).bytes, 'index.pdf'));
    expect(pagesOf(pdf)).toBe(1 + indexPages + 2 + 3);
    const cover = pageText(pdf, 1).replace(/\s+/g, ' ');
    expect(cover).toContain('HỒ SƠ');
    expect(cover).toContain('Số và ký hiệu hồ sơ: 07.TH');
    expect(cover).toContain('Hồ sơ chuyển đổi số năm 2026 & các văn bản <liên quan>');
    expect(cover).toContain('Thời gian: từ ngày 02/03/2026 đến ngày 01/05/2026');
    expect(cover).toContain('Thời hạn bảo quản: 20 năm');
    expect(cover).toContain(`Người lập hồ sơ: ${f.staff.actor.fullName}`);
    expect(cover).toContain('Số lượng: 3 văn bản trong hồ sơ, trong đó 2 văn bản có trong bản kết xuất (5 trang)');
    expect(cover).toContain('STT 3: chưa có tệp PDF');
    expect(cover).toContain('Bản kết xuất từ hệ thống; chữ ký số kiểm tra trên từng văn bản gốc');
    expect(pageText(pdf, 2).replace(/\s+/g, ' ')).toContain('MỤC LỤC VĂN BẢN, TÀI LIỆU Số, ký hiệu hồ sơ: 07.TH Năm 2026');
    const documentPages = Array.from({ length: 5 }, (_, i) => pageText(pdf, 1 + indexPages + 1 + i).trim());
    expect(documentPages).toEqual(['Van ban den trang 1', 'Van ban den trang 2', 'Van ban di trang 1', 'Van ban di trang 2', 'Van ban di trang 3']);
    expect(execFileSync('sh', ['-c', `qpdf --check "${pdf}" >/dev/null; echo $?`]).toString().trim()).toBe('0');
  });

  test('as XML: the file\'s metadata, then both documents in order with their metadata and their files embedded, each matching its SHA-256', async () => {
    const f = await makeFileWithDocuments();
    const { res, bytes } = await fetchBytes(`/api/records/files/${f.fileId}/export.xml`, f.staff.client.cookie);
    expect([res.status, res.headers.get('content-type'), res.headers.get('content-disposition')]).toEqual([200, 'application/xml; charset=utf-8', 'attachment; filename="ho-so-2026-07.TH.xml"']);
    const file = await saved(bytes, 'export.xml');
    execFileSync('xmllint', ['--noout', file]);
    const xml = bytes.toString('utf8');
    expect(xml).toContain('<FileNotation>07.TH</FileNotation>');
    expect(xml).toContain('<Title>Hồ sơ chuyển đổi số năm 2026 &amp; các văn bản &lt;liên quan&gt;</Title>');
    expect(xml).toContain('<Maintenance>20 năm</Maintenance>');
    const documents = [...xml.matchAll(/<Document kind="(\w+)" id="([^"]+)"[^>]*><DocOrdinal>(\d+)<\/DocOrdinal>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(documents).toEqual([['incoming', f.incoming, '1'], ['outgoing', f.issued, '2'], ['outgoing', f.noPdf, '3']]);
    expect(xml).toMatch(/<IssuedDate>2026-03-02<\/IssuedDate><OrganId\/><OrganName>UBND tỉnh Thái Hòa<\/OrganName><Subject>Về việc triển khai chuyển đổi số<\/Subject>/);
    expect(xml).toContain('<IssuedDate>2026-04-10</IssuedDate>');
    const attachments = [...xml.matchAll(/<Attachment kind="(\w+)"[^>]* sha256="([0-9a-f]{64})" encoding="base64">([^<]*)<\/Attachment>/g)];
    expect(attachments.map((m) => [m[1], m[2]])).toEqual([['main', f.inSha], ['appendix', f.appendixSha], ['signed', f.outSha]]);
    for (const m of attachments) expect(createHash('sha256').update(Buffer.from(m[3] ?? '', 'base64')).digest('hex')).toBe(m[2]);
    expect(xml.match(/<Document kind="outgoing" id="[^"]+"><DocOrdinal>3<\/DocOrdinal>.*?<Files><\/Files><\/Document>/s)).not.toBeNull();
    const audited = await t.db.selectFrom('auditLog').select(['type', 'data']).where('entityId', '=', f.fileId).where('type', '=', 'RECORDS_FILE_EXPORTED').execute();
    expect(audited.map((r) => r.data)).toEqual([{ format: 'xml', notation: '07.TH', year: 2026, documents: 3, included: 2 }]);
  });

  test('a scanned paper document is exported as its scan, the document of record: its OCR\'d copy is neither printed, nor carried in the XML, nor counted as a file of record', async () => {
    const agencyId = (await makeAgency(t.db)).id;
    const staff = await signedInClient(t.app, t.db, { roles: ['staff'], agencyId, unitId: (await makeUnit(t.db, agencyId)).id });
    const a = staff.actor;
    const scanned = await makeIncomingFor(t.db, a, { status: 'done', documentDate: '2026-03-02', pageCount: 2, subject: 'Công văn giấy đã quét' });
    const owner = { ownerType: 'incoming', ownerId: scanned } as const;
    // as intake and the incoming.ocr job leave it: the scan as received, then its searchable copy «scan-ocr.pdf»
    const scanSha = await attachPdf(a, owner, 'scan', ['Ban quet trang 1', 'Ban quet trang 2']);
    const ocrSha = await attachPdf(a, owner, 'ocr', ['Ban nhan dang chu trang 1', 'Ban nhan dang chu trang 2']);
    const fileId = await openRecordsFile({ db: t.db, actor: a, body: { notation: '08.TH', title: 'Hồ sơ văn bản giấy', retention: '10', description: '' } });
    await addDocumentToFile({ db: t.db, actor: a, fileId, ref: owner });

    const pdf = await saved((await fetchBytes(`/api/records/files/${fileId}/export.pdf`, staff.client.cookie)).bytes, 'export.pdf');
    const last = pagesOf(pdf);
    expect([pageText(pdf, last - 1).trim(), pageText(pdf, last).trim()]).toEqual(['Ban quet trang 1', 'Ban quet trang 2']);
    expect(pageText(pdf, 1).replace(/\s+/g, ' ')).toContain('Số lượng: 1 văn bản, 2 trang');

    const xml = (await fetchBytes(`/api/records/files/${fileId}/export.xml`, staff.client.cookie)).bytes.toString('utf8');
    expect([...xml.matchAll(/<Attachment kind="(\w+)"[^>]* sha256="([0-9a-f]{64})"/g)].map((m) => [m[1], m[2]])).toEqual([['scan', scanSha]]);
    expect(xml).not.toContain(ocrSha);
    expect(await countFilesOfRecord(t.db, [owner])).toBe(1);
  });

  test('only who may see the file exports it: a colleague of the unit may; staff of another unit and another agency get the detail page\'s answer', async () => {
    const f = await makeFileWithDocuments();
    const secret = await makeIncomingFor(t.db, f.staff.actor, { status: 'done', documentDate: '2026-06-01', secrecy: 'mat', subject: 'Nội dung mật' });
    await attachPdf(f.staff.actor, { ownerType: 'incoming', ownerId: secret }, 'main', ['Mat']);
    await addDocumentToFile({ db: t.db, actor: f.staff.actor, fileId: f.fileId, ref: { ownerType: 'incoming', ownerId: secret } });
    const colleague = await signedInClient(t.app, t.db, { roles: ['staff'], agencyId: f.agencyId, unitId: f.unitId });
    const theirs = (await fetchBytes(`/api/records/files/${f.fileId}/export.xml`, colleague.client.cookie)).bytes.toString('utf8');
    // not assigned the incoming documents, the colleague gets their mục lục lines only; of the Mật one, only that it is there
    expect(theirs).toMatch(new RegExp(`<Document kind="incoming" id="${f.incoming}" access="none"><DocOrdinal>1</DocOrdinal><TypeName>Công văn</TypeName>.*?<Files></Files>`));
    expect(theirs).toContain(`<Document kind="incoming" id="${secret}" secret="true" access="none"><DocOrdinal>4</DocOrdinal><Files></Files></Document>`);
    expect(theirs).not.toContain('Nội dung mật');
    expect(theirs).not.toContain(f.inSha);
    const otherUnit = await signedInClient(t.app, t.db, { roles: ['staff'], agencyId: f.agencyId, unitId: (await makeUnit(t.db, f.agencyId)).id });
    const stranger = await signedInClient(t.app, t.db, { roles: ['clerk', 'leader'] });
    for (const who of [otherUnit, stranger]) {
      const detail = await who.client.get(`/api/records/files/${f.fileId}`);
      expect([detail.status, detail.body.error?.code]).toEqual([404, 'records.file_not_found']);
      for (const format of ['pdf', 'xml']) {
        const res = await who.client.get(`/api/records/files/${f.fileId}/export.${format}`);
        expect([res.status, res.body.error?.code]).toEqual([404, 'records.file_not_found']);
      }
    }
    expect(await t.db.selectFrom('auditLog').select('actorId').where('entityId', '=', f.fileId).where('type', '=', 'RECORDS_FILE_EXPORTED').execute())
      .toEqual([{ actorId: colleague.actor.id }]);
  });
});
