import { beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { PDFDocument } from '@cantoo/pdf-lib';
import { useTestApp } from '../../test/app.ts';
import { makeUser } from '../../test/factories.ts';
import { needTool } from '../../test/tools.ts';
import type { AppEnv } from '../../platform/http/context.ts';
import { handleError } from '../../platform/http/errors.ts';
import { attachFile, convertToPdf, inspectPdf, listFiles, safeFileName, sniffContentType, storeUpload } from './files.service.ts';
import { receiveUpload } from './files.http.ts';

const t = useTestApp();
let pdf: Uint8Array<ArrayBuffer>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vanthu-files-'));
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Cong van so 12');
  doc.addPage([595, 842]);
  pdf = new Uint8Array(await doc.save());
});

describe('uploads', () => {
  test('an upload is stored in the blob store and recorded before it is processed, and its real type is sniffed', async () => {
    const stored = await storeUpload(t.deps, { source: Readable.from([Buffer.from(pdf)]), fileName: '../../etc/Công văn.pdf', contentType: 'text/plain' });
    expect(stored.contentType).toBe('application/pdf');
    expect(stored.fileName).toBe('Công văn.pdf');
    expect(await t.deps.blobs.has(stored.sha256)).toBe(true);
    expect(await t.db.selectFrom('blob').select('sha256').where('sha256', '=', stored.sha256).executeTakeFirst()).toBeDefined();
  });

  test('an empty upload is refused with files.empty', async () => {
    await expect(storeUpload(t.deps, { source: new Uint8Array(), fileName: 'rong.pdf' })).rejects.toMatchObject({ code: 'files.empty' });
  });

  test('a file over the size limit is refused and leaves nothing behind', async () => {
    await expect(storeUpload(t.deps, { source: new Uint8Array(2048), fileName: 'lon.pdf', maxBytes: 1024 })).rejects.toMatchObject({ code: 'blob.too_large' });
  });

  test('a raw streamed body and a multipart form are both received', async () => {
    const app = new Hono<AppEnv>();
    app.onError(handleError);
    app.use('*', async (c, next) => {
      c.set('deps', t.deps);
      await next();
    });
    app.post('/u', async (c) => c.json(await receiveUpload(c)));
    const raw = await app.request('/u', { method: 'POST', headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent('Tờ trình.pdf') }, body: pdf });
    expect(((await raw.json()) as { fileName: string }).fileName).toBe('Tờ trình.pdf');
    const form = new FormData();
    form.set('file', new File([pdf], 'Quyết định.pdf', { type: 'application/pdf' }));
    const multi = await app.request('/u', { method: 'POST', body: form });
    expect(((await multi.json()) as { size: number }).size).toBe(pdf.byteLength);
    const nameless = await app.request('/u', { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: pdf });
    expect(nameless.status).toBe(400);
  });

  test('files are attached to a document with increasing versions', async () => {
    const { actor } = await makeUser(t.db);
    const stored = await storeUpload(t.deps, { source: pdf, fileName: 'a.pdf' });
    const ownerId = crypto.randomUUID();
    await attachFile(t.db, { agencyId: actor.agencyId, ownerType: 'outgoing', ownerId, kind: 'main', upload: stored, createdBy: actor.id });
    const second = await attachFile(t.db, { agencyId: actor.agencyId, ownerType: 'outgoing', ownerId, kind: 'main', upload: stored, createdBy: actor.id });
    expect(second.version).toBe(2);
    expect((await listFiles(t.db, 'outgoing', ownerId)).map((f) => f.version)).toEqual([2, 1]);
  });
});

describe('checking PDFs', () => {
  test('a real PDF gives its page count', () => {
    expect(inspectPdf(pdf)).toMatchObject({ pageCount: 2, isEncrypted: false, signatureCount: 0 });
  });
  test('a JPEG renamed .pdf is not a PDF', () => {
    expect(() => inspectPdf(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toThrow(expect.objectContaining({ code: 'files.not_pdf' }));
    expect(sniffContentType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
  });
  test('a truncated PDF is refused as corrupt', () => {
    expect(() => inspectPdf(pdf.subarray(0, 200))).toThrow(expect.objectContaining({ code: 'files.pdf_corrupt' }));
  });
  test('names are cleaned of paths and control characters', () => {
    expect(safeFileName('C:\\Users\\x\\"Báo cáo"\u0007.pdf')).toBe('Báo cáo.pdf');
  });
});

describe.skipIf(!needTool('qpdf'))('encrypted PDFs', () => {
  test('a password-protected PDF is refused with files.pdf_encrypted', async () => {
    const plain = path.join(dir, 'plain.pdf');
    const locked = path.join(dir, 'locked.pdf');
    await writeFile(plain, pdf);
    execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, locked]);
    expect(() => inspectPdf(new Uint8Array(execFileSync('cat', [locked])))).toThrow(expect.objectContaining({ code: 'files.pdf_encrypted' }));
  });
});

describe.skipIf(!needTool('soffice'))('DOCX to PDF', () => {
  test('a Word document is converted to a PDF with LibreOffice', async () => {
    const txt = path.join(dir, 'du-thao.txt');
    await writeFile(txt, 'Dự thảo công văn về việc thử nghiệm.\n');
    execFileSync('soffice', [`-env:UserInstallation=file://${dir}/p0`, '--headless', '--convert-to', 'docx', '--outdir', dir, txt], { timeout: 120_000 });
    const docx = new Uint8Array(await readFile(path.join(dir, 'du-thao.docx')));
    expect(sniffContentType(docx.subarray(0, 4096))).toMatch(/wordprocessingml|zip/);
    const converted = await convertToPdf(docx, 'Dự thảo.docx');
    expect(inspectPdf(converted).pageCount).toBe(1);
  }, 180_000);
});
