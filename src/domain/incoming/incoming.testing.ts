import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument } from '@cantoo/pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import type { AppDeps } from '../../platform/deps.ts';
import { convertToPdf, storeUpload } from '../files/files.service.ts';
import { approvalPlacement, sealPlacement } from '../outgoing/outgoing.pdf.ts';
import { makeSealPng, makeSignaturePng } from '../signing/appearance/appearance.test-png.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import { createTestPki, startTestOcsp, type TestPki, type TestServer } from '../signing/testing/pki.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { useTestApp, type TestApp } from '../../test/app.ts';
import { startWorker } from '../../platform/jobs/jobs.ts';
import { receiveExternalDocument } from './incoming.service.ts';
import { INCOMING_JOBS } from './incoming.jobs.ts';

/**
 * A deadline ahead of whatever day the suite runs (the server refuses one already past: incoming.deadline_past), and
 * the day before it, when the daily reminder finds it coming due.
 */
export const FUTURE_DEADLINE = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
export const DAY_BEFORE_DEADLINE = new Date(Date.parse(FUTURE_DEADLINE) - 86_400_000).toISOString().slice(0, 10);

const run = promisify(execFile);
const FONT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/fonts/LiberationSerif-Regular.ttf');

/** A born-digital PDF (real text layer) with one page per entry of `pages`, in a Vietnamese-capable font. */
export async function makeTextPdf(pages: readonly string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(await readFile(FONT));
  for (const text of pages) {
    const page = pdf.addPage([595, 842]);
    text.split('\n').forEach((line, i) => page.drawText(line, { x: 60, y: 760 - i * 30, size: 20, font }));
  }
  return pdf.save();
}

/**
 * Rasterises a text PDF with pdftoppm (poppler) into page images — what a scanner produces — and returns
 * the PNG pages; `asPdf` combines them with img2pdf into an image-only PDF (no text layer).
 */
export async function makeScan(pages: readonly string[], o: { dpi?: number } = {}): Promise<{ pngs: Uint8Array[]; pdf: Uint8Array }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-scan-'));
  try {
    await writeFile(path.join(dir, 'src.pdf'), await makeTextPdf(pages));
    await run('pdftoppm', ['-r', String(o.dpi ?? 200), '-gray', '-png', path.join(dir, 'src.pdf'), path.join(dir, 'page')]);
    const files = (await readdir(dir)).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort();
    await run('img2pdf', ['--output', path.join(dir, 'scan.pdf'), ...files.map((f) => path.join(dir, f))]);
    const pngs = await Promise.all(files.map(async (f) => new Uint8Array(await readFile(path.join(dir, f)))));
    return { pngs, pdf: new Uint8Array(await readFile(path.join(dir, 'scan.pdf'))) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A PDF as a clerk gets one: typed pages (real text layer, makeTextPdf) and scanned ones (page images,
 * makeScan), in the order given. `pageNumbers` writes "Trang n" as text in the corner of every page, as
 * some scanning software does — a scanned page then carries a little text beside its image; `stamp` writes
 * its lines as text at the foot of every page, as a scanner app stamps «BẢN SAO» or a signature box.
 */
export async function makeMixedPdf(pages: readonly ({ typed: string } | { scanned: string })[], o: { pageNumbers?: boolean; stamp?: string } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(await readFile(FONT));
  for (const page of pages) {
    const source = await PDFDocument.load('typed' in page ? await makeTextPdf([page.typed]) : (await makeScan([page.scanned])).pdf);
    const [copy] = await pdf.copyPages(source, [0]);
    if (!copy) throw new Error('no page to copy');
    pdf.addPage(copy);
    if (o.pageNumbers) copy.drawText(`Trang ${pdf.getPageCount()}`, { x: 20, y: 20, size: 9, font });
    o.stamp?.split('\n').forEach((line, i) => copy.drawText(line, { x: 330, y: 70 - i * 11, size: 9, font }));
  }
  return pdf.save();
}

/**
 * A Công văn as agencies draft it, converted to PDF by LibreOffice as uploaded drafts are (subset fonts, A4
 * as 595.303937007874 × 841.889763779528, as Word and Writer write them): «Số: /SNV-VP» and the date line on
 * page 1, its body over the first `pages` − 1 pages, and the signature block — «GIÁM ĐỐC», room for the
 * signature, `signerName` — alone on the last.
 */
export async function congVanWithSignaturePage(o: { signerName: string; pages?: number }): Promise<Uint8Array> {
  const body = '<p>Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư, Sở Nội vụ đề nghị Sở Tài chính phối hợp thử nghiệm việc gửi, nhận văn bản điện tử qua Trục liên thông văn bản quốc gia và báo cáo kết quả trước ngày 15 tháng 12 năm 2026.</p>';
  const more = Array.from({ length: (o.pages ?? 2) - 2 }, (_, i) => `<p style="page-break-before: always">${i + 2}. Kết quả thử nghiệm ở trang ${i + 2}.</p>${body}`).join('');
  const html = `<html><head><meta charset="utf-8"><style>body{font-family:'Liberation Serif';font-size:13pt}.c{text-align:center}</style></head><body>
<table width="100%"><tr><td class="c">UBND TỈNH BẮC NINH<br><b>SỞ NỘI VỤ</b></td><td class="c"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b></td></tr>
<tr><td class="c">Số: /SNV-VP</td><td class="c"><i>Bắc Ninh, ngày tháng năm 2026</i></td></tr></table>
<p class="c">Kính gửi: Sở Tài chính tỉnh Bắc Ninh.</p>${body.repeat(4)}${more}<p><b><i>Nơi nhận:</i></b><br>- Như trên;<br>- Lưu: VT, VP.</p>
<p class="c" style="page-break-before: always"><b>GIÁM ĐỐC</b><br><br><br><br><b>${o.signerName}</b></p></body></html>`;
  return convertToPdf(new TextEncoder().encode(html), 'cong-van.html');
}

let pki: Promise<TestPki> | undefined;

/**
 * A PDF signed as an agency issues it: the signer's approval signature with their image between the
 * position line and `signerName` (or bottom right of the last page), then the seal signature with the red
 * seal over the image's left third — the placements and images vanthu's own issuing uses.
 */
export async function signAsIssued(pdf: Uint8Array, o: { signerName: string; position: string }): Promise<Uint8Array> {
  const { leader, seal, password } = await (pki ??= createTestPki());
  const { widget, placed } = await approvalPlacement(pdf, { names: [o.signerName], position: o.position, image: makeSignaturePng() });
  const approved = await signPdf(pdf, { signer: await createP12Signer(leader.p12, password), widget });
  return signPdf(approved, { signer: await createP12Signer(seal.p12, password), widget: sealPlacement(approved, { image: makeSealPng(), approval: placed }) });
}

/** A password-protected copy of a PDF (qpdf, AES-256). */
export async function encryptPdf(bytes: Uint8Array): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-enc-'));
  try {
    await writeFile(path.join(dir, 'in.pdf'), bytes);
    await run('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', path.join(dir, 'in.pdf'), path.join(dir, 'out.pdf')]);
    return new Uint8Array(await readFile(path.join(dir, 'out.pdf')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A multipart body with one or more files in the `file` field (what the browser sends). */
export function scanForm(files: readonly { bytes: Uint8Array; name: string; type: string }[]): FormData {
  const form = new FormData();
  for (const f of files) form.append('file', new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
  return form;
}

/** A document received from another agency with one main PDF, `bytes` (as the connector takes one in): its signature check is queued. */
export async function receivePdf(deps: AppDeps, o: { agencyId: string; documentId: string; bytes: Uint8Array }) {
  const file = await storeUpload(deps, { source: o.bytes, fileName: 'cong-van.pdf' });
  return deps.db.transaction().execute((tx) => receiveExternalDocument(tx, {
    recipientAgencyId: o.agencyId, documentId: o.documentId, sender: { code: '000.00.99.G01', name: 'Bộ Thử nghiệm' },
    metadata: { number: 3, notation: o.documentId, documentDate: '2026-12-01', typeCode: 'cong_van', subject: 'Thử kiểm tra chữ ký số', urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '' },
    files: [{ ...file, kind: 'main' }],
  }));
}

/** Runs every signature check and sweep step due, the spaced-out ones and the sweep's later steps made due now, until none is left. */
export async function runVerifyJobs(deps: AppDeps): Promise<void> {
  const worker = startWorker({ deps, jobs: INCOMING_JOBS, autoStart: false });
  for (let round = 0; round < 100; round++) {
    await sql`update job set run_at = now() where type like 'incoming.verify%' and done_at is null and failed_at is null`.execute(deps.db);
    if ((await worker.runOnce()) === 0) return;
  }
}

/**
 * A production install with no trusted root yet (useTestApp: not demo mode, an empty DATA_DIR/trust) and a
 * test PKI whose OCSP, CRL and AIA server runs: `const s = useInstallWithTestPki();` then `s.t`, `s.pki`.
 */
export function useInstallWithTestPki(): { t: TestApp; pki: TestPki } {
  const s = { t: useTestApp() } as { t: TestApp; pki: TestPki };
  let ocsp: TestServer | undefined;
  beforeAll(async () => {
    s.pki = await createTestPki();
    ocsp = await startTestOcsp(s.pki);
  }, 120_000);
  afterAll(async () => {
    await ocsp?.close();
  });
  return s;
}
