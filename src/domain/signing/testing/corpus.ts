/**
 * Test corpus of real PDFs made by real tools (pdf-lib, qpdf, Ghostscript, LibreOffice, @signpdf),
 * cached in a temp directory per process. Each generator returns the path of its PDF; generators
 * whose tool is missing throw, so tests guard them with `needTool`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, StandardFonts, rgb } from '@cantoo/pdf-lib';

let dir: string | undefined;

/** The per-process corpus directory (created on first use). */
export function corpusDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'vanthu-corpus-'));
  return dir;
}

async function cached(name: string, make: (path: string) => unknown): Promise<string> {
  const path = join(corpusDir(), name);
  if (!existsSync(path)) await make(path);
  return path;
}

/** A pdf-lib document with `pages` A4 pages of text; `objectStreams` picks xref stream vs classic table. */
export async function makePdfLib(pages = 1, objectStreams = false): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`UBND TINH MAU - So: ..../QD-UBND - trang ${i + 1}`, { x: 72, y: 780, size: 13, font });
    page.drawText('QUYET DINH ve viec thu nghiem ky so', { x: 150, y: 700, size: 14, font });
    page.drawText('CHU TICH', { x: 380, y: 300, size: 13, font, color: rgb(0, 0, 0) });
  }
  return doc.save({ useObjectStreams: objectStreams });
}

/** Classic xref table, PDF 1.7 (pdf-lib without object streams). */
export const pdfLibClassic = () => cached('pdflib-classic.pdf', async (p) => writeFileSync(p, await makePdfLib(2, false)));

/** Xref stream + object streams (pdf-lib default). */
export const pdfLibObjStm = () => cached('pdflib-objstm.pdf', async (p) => writeFileSync(p, await makePdfLib(2, true)));

/** qpdf: object streams generated from the classic file. */
export const qpdfObjStm = () => cached('qpdf-objstm.pdf', async (p) => execFileSync('qpdf', ['--object-streams=generate', await pdfLibClassic(), p]));

/** qpdf: linearized (first-page xref + main xref). */
export const qpdfLinearized = () => cached('qpdf-linear.pdf', async (p) => execFileSync('qpdf', ['--linearize', await pdfLibClassic(), p]));

/** qpdf: linearized with object streams (xref streams in both parts). */
export const qpdfLinearizedObjStm = () =>
  cached('qpdf-linear-objstm.pdf', async (p) => execFileSync('qpdf', ['--linearize', '--object-streams=generate', await pdfLibClassic(), p]));

/** A PDF 2.0 file (qpdf --force-version). */
export const pdf20 = () => cached('pdf20.pdf', async (p) => execFileSync('qpdf', ['--force-version=2.0', await qpdfObjStm(), p]));

/** A PDF 1.4 file with a classic table (Ghostscript pdfwrite, -dCompatibilityLevel=1.4). */
export const ghostscript14 = () =>
  cached('gs14.pdf', async (p) =>
    execFileSync('gs', ['-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-sDEVICE=pdfwrite', '-dCompatibilityLevel=1.4', `-sOutputFile=${p}`, await pdfLibClassic()]));

/** Ghostscript PDF 1.7 output. */
export const ghostscript17 = () =>
  cached('gs17.pdf', async (p) =>
    execFileSync('gs', ['-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-sDEVICE=pdfwrite', '-dCompatibilityLevel=1.7', `-sOutputFile=${p}`, await pdfLibClassic()]));

/** Writes `html` as LibreOffice Writer exports it to PDF (its own user profile, so it runs in parallel). */
function exportWithLibreOffice(html: string, path: string): void {
  const work = mkdtempSync(join(tmpdir(), 'vanthu-lo-'));
  writeFileSync(join(work, 'draft.html'), html);
  execFileSync('soffice', [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', 'pdf:writer_pdf_Export', '--outdir', work, join(work, 'draft.html')], { stdio: 'ignore', timeout: 120_000 });
  writeFileSync(path, readFileSync(join(work, 'draft.pdf')));
}

/** LibreOffice Writer export of a Vietnamese HTML document. */
export const libreOffice = () =>
  cached('libreoffice.pdf', (p) => exportWithLibreOffice('<html><meta charset="utf-8"><body><p>UỶ BAN NHÂN DÂN TỈNH MẪU</p><p>Số: …/QĐ-UBND</p><h1>QUYẾT ĐỊNH</h1><p>Về việc thử nghiệm ký số văn bản điện tử.</p><p>CHỦ TỊCH</p></body></html>', p));

/** A hybrid-reference file: a classic table whose trailer has /XRefStm pointing at an xref stream. */
export const hybrid = () => cached('hybrid.pdf', async (p) => writeFileSync(p, makeHybrid(readFileSync(await qpdfObjStm()))));

/** A pdf-lib file with an AcroForm text field, a checkbox and a link + text annotation. */
export const formAndAnnots = () =>
  cached('form-annots.pdf', async (p) => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    const form = doc.getForm();
    form.createTextField('hoTen').addToPage(page, { x: 72, y: 700, width: 200, height: 20 });
    form.createCheckBox('dongY').addToPage(page, { x: 72, y: 650, width: 15, height: 15 });
    const note = doc.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [300, 600, 320, 620], Contents: 'Ghi chu', F: 4 });
    const annots = page.node.Annots();
    annots?.push(doc.context.register(note));
    writeFileSync(p, await doc.save({ useObjectStreams: false }));
  });

/** A 5 MB single-page PDF (an uncompressible image), classic xref. */
export const big5mb = () =>
  cached('big-5mb.pdf', async (p) => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    const side = 1290; // 1290² × 3 bytes ≈ 5 MB of noise
    const data = new Uint8Array(side * side * 3);
    let seed = 1;
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      data[i] = seed >> 16;
    }
    const image = doc.context.stream(data, { Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceRGB', BitsPerComponent: 8 });
    const ref = doc.context.register(image);
    page.node.setXObject(PDFName.of('Im0'), ref);
    const content = doc.context.stream('q 500 0 0 500 48 200 cm /Im0 Do Q');
    page.node.addContentStream(doc.context.register(content));
    writeFileSync(p, await doc.save({ useObjectStreams: false }));
  });

/** Builds a hybrid file from an xref-stream file: appends an update with a classic table + /XRefStm. */
export function makeHybrid(base: Uint8Array): Uint8Array {
  const text = Buffer.from(base).toString('latin1');
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const dictText = text.slice(startxref, text.indexOf('stream', startxref));
  const size = Number(/\/Size (\d+)/.exec(dictText)?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(dictText)?.[1] ?? '1 0 R';
  const prefix = text.endsWith('\n') ? '' : '\n';
  const table = `xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size ${size} /Root ${root} /XRefStm ${startxref} >>\nstartxref\n`;
  const at = base.length + prefix.length;
  return new Uint8Array(Buffer.concat([Buffer.from(base), Buffer.from(`${prefix}${table}${at}\n%%EOF\n`, 'latin1')]));
}

/** An already signed file: @signpdf placeholder-plain + P12Signer on the classic pdf-lib file. */
export async function signedBySignpdf(p12: Uint8Array, passphrase: string): Promise<string> {
  return cached('signpdf-signed.pdf', async (p) => {
    const { plainAddPlaceholder } = await import('@signpdf/placeholder-plain');
    const { P12Signer } = await import('@signpdf/signer-p12');
    const { SignPdf } = await import('@signpdf/signpdf');
    const signpdf = new SignPdf();
    const pdf = plainAddPlaceholder({ pdfBuffer: readFileSync(await pdfLibClassic()), reason: 'test', contactInfo: '', name: 'Signpdf', location: 'VN' });
    const signed = await signpdf.sign(pdf, new P12Signer(Buffer.from(p12), { passphrase }));
    writeFileSync(p, signed);
  });
}

/** A fresh scratch directory under the corpus directory. */
export function scratchDir(name: string): string {
  const path = join(corpusDir(), name);
  mkdirSync(path, { recursive: true });
  return path;
}

const ISSUE_HEADER = '<table width="100%"><tr><td align="center">UỶ BAN NHÂN DÂN<br><b>TỈNH MẪU</b><br>Số: [SỐ]</td>'
  + '<td align="center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br><i>[NGÀY BAN HÀNH]</i></td></tr></table>'
  + '<h2 align="center">QUYẾT ĐỊNH</h2><p>Về việc thử nghiệm ký số văn bản điện tử.</p>';

/** A LibreOffice quyết định draft with "Số:" / date placeholders and a signature block, for issuing tests. */
export const issueTemplate = () =>
  cached('issue-template.pdf', (p) => exportWithLibreOffice(`<html><meta charset="utf-8"><body style="font-family:Liberation Serif">${ISSUE_HEADER}<p align="right"><b>CHỦ TỊCH</b></p></body></html>`, p));

/**
 * The same draft over `pages` A4 pages, as LibreOffice writes them (every page's /MediaBox
 * [0 0 595.303937007874 841.889763779528]): "Số:" and the date on page 1, the body, and the signature
 * block «CHỦ TỊCH — Nguyễn Văn An» alone on the last page.
 */
export const issueTemplatePages = (pages: number) =>
  cached(`issue-template-${pages}.pdf`, (p) => {
    const body = Array.from({ length: pages - 1 }, (_, i) => `<p${i ? ' style="page-break-before: always"' : ''}>Điều ${i + 1}. Thử nghiệm ký số văn bản điện tử có nhiều trang.</p>`).join('');
    exportWithLibreOffice(`<html><meta charset="utf-8"><body style="font-family:Liberation Serif">${ISSUE_HEADER}${body}`
      + '<p align="center" style="page-break-before: always"><b>CHỦ TỊCH</b><br><br><br><br><b>Nguyễn Văn An</b></p></body></html>', p);
  });
