import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeUser, TEST_PASSWORD } from '../../test/factories.ts';
import { testClient } from '../../test/http.ts';
import { needTool } from '../../test/tools.ts';
import { encryptPdf, makeScan, makeTextPdf, scanForm } from './incoming.testing.ts';
import { ocrPdf } from './incoming.ocr.ts';

const t = useTestApp();
let clerk: ReturnType<typeof testClient>;

type Body = { data?: { id: string; pageCount: number; ocrStatus: string }; error?: { code: string; message: string; details?: { storedSha256?: string[] } } };

async function upload(form: FormData, client = clerk) {
  const csrf = ((await client.get('/api/auth/session')).body.data as { csrfToken: string }).csrfToken;
  const res = await t.app.request('/api/incoming/scan', { method: 'POST', headers: { cookie: client.cookie, 'x-csrf-token': csrf }, body: form });
  return { status: res.status, body: (await res.json()) as Body };
}
const pdfForm = (bytes: Uint8Array, name = 'scan.pdf', type = 'application/pdf') => scanForm([{ bytes, name, type }]);

beforeAll(async () => {
  const { user } = await makeUser(t.db, { roles: ['clerk'] });
  clerk = testClient(t.app);
  await clerk.login(user.username, TEST_PASSWORD);
});

describe('bad scans get a clear error, and the upload is never lost', () => {
  test('a text file renamed .pdf is refused as not a PDF; the stored original is named in the error', async () => {
    const bytes = new TextEncoder().encode('Đây không phải PDF, chỉ là văn bản đổi đuôi.');
    const res = await upload(pdfForm(bytes, 'gia-mao.pdf'));
    expect(res.status).toBe(415);
    expect(res.body.error?.code).toBe('files.not_pdf');
    const sha = res.body.error?.details?.storedSha256?.[0] ?? '';
    expect(Buffer.from(await t.deps.blobs.get(sha)).equals(Buffer.from(bytes))).toBe(true);
  });

  test('a 0-byte file is refused as empty', async () => {
    const res = await upload(pdfForm(new Uint8Array(), 'rong.pdf'));
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('files.empty');
  });

  test('no file at all, or a PDF mixed with images, is refused', async () => {
    const form = new FormData();
    form.append('note', 'x');
    expect((await upload(form)).body.error?.code).toBe('incoming.upload_missing');
    const png = new Uint8Array(readFileSync(path.join(import.meta.dirname, '../signing/appearance/fixtures/signature-blue.png')));
    const mixed = scanForm([{ bytes: await makeTextPdf(['A']), name: 'a.pdf', type: 'application/pdf' }, { bytes: png, name: 'b.png', type: 'image/png' }]);
    expect((await upload(mixed)).body.error?.code).toBe('incoming.upload_mixed');
  });

  test('a staff member may not receive documents (checked before anything is stored)', async () => {
    const { user } = await makeUser(t.db, { roles: ['staff'] });
    const staff = testClient(t.app);
    await staff.login(user.username, TEST_PASSWORD);
    expect((await upload(pdfForm(await makeTextPdf(['A'])), staff)).body.error?.code).toBe('forbidden');
  });

  describe.skipIf(!needTool('qpdf'))('with qpdf', () => {
    test('a password-protected PDF is refused with a message saying so', async () => {
      const res = await upload(pdfForm(await encryptPdf(await makeTextPdf(['Mật khẩu']))));
      expect(res.status).toBe(422);
      expect(res.body.error?.code).toBe('files.pdf_encrypted');
      expect(res.body.error?.message).toMatch(/mật khẩu/);
    });
  });

  test('a 500-page scan is registered at once; its OCR is a bounded background job', async () => {
    const big = await makeTextPdf(Array.from({ length: 500 }, (_, i) => `Trang ${i + 1}`));
    const started = performance.now();
    const res = await upload(pdfForm(big, 'so-tay-500-trang.pdf'));
    const ms = performance.now() - started;
    expect(res.status).toBe(201);
    expect(res.body.data?.pageCount).toBe(500);
    const job = await t.db.selectFrom('job').select(['type', 'payload']).where('type', '=', 'incoming.ocr').where('dedupeKey', '=', `incoming.ocr:${res.body.data?.id}`).executeTakeFirst();
    expect(job?.type).toBe('incoming.ocr');
    console.info(`500-page scan accepted in ${Math.round(ms)} ms`);
  });
});

describe.skipIf(!needTool('img2pdf', 'ocrmypdf', 'pdftoppm'))('page images', () => {
  test('JPEG, PNG and a TIFF page are combined into one PDF in upload order; each image is kept as uploaded', async () => {
    const scan = await makeScan(['Trang một', 'Trang hai', 'Trang ba'], { dpi: 100 });
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-img-'));
    writeFileSync(path.join(dir, 'p2.png'), scan.pngs[1] ?? new Uint8Array());
    writeFileSync(path.join(dir, 'p3.png'), scan.pngs[2] ?? new Uint8Array());
    execFileSync('pdftoppm', ['-r', '100', '-jpeg', '-f', '1', '-l', '1', '-singlefile', '-', path.join(dir, 'p1')], { input: Buffer.from(scan.pdf) });
    execFileSync('pdftoppm', ['-r', '100', '-tiff', '-f', '3', '-l', '3', '-singlefile', '-', path.join(dir, 'p3')], { input: Buffer.from(scan.pdf) });
    const read = (f: string) => new Uint8Array(readFileSync(path.join(dir, f)));
    const res = await upload(scanForm([
      { bytes: read('p1.jpg'), name: 'p1.jpg', type: 'image/jpeg' }, { bytes: read('p2.png'), name: 'p2.png', type: 'image/png' }, { bytes: read('p3.tif'), name: 'p3.tif', type: 'image/tiff' },
    ]));
    expect(res.status).toBe(201);
    expect(res.body.data?.pageCount).toBe(3);
    const detail = (await clerk.get(`/api/incoming/${res.body.data?.id}`)).body.data as { files: { kind: string; sha256: string; fileName: string }[] };
    expect(detail.files.filter((f) => f.kind === 'source')).toHaveLength(3);
    const jpeg = detail.files.find((f) => f.fileName === 'p1.jpg');
    expect(Buffer.from(await t.deps.blobs.get(jpeg?.sha256 ?? '')).equals(Buffer.from(read('p1.jpg')))).toBe(true);
    expect(detail.files.find((f) => f.kind === 'scan')?.fileName).toBe('p1.pdf');
  });

  test('an OCR run that overruns its time limit is stopped and reported, not left running', async () => {
    const scan = await makeScan(['Quá thời gian']);
    const outcome = await ocrPdf(scan.pdf, { pageCount: 1, timeoutMs: 300 });
    expect(outcome).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/quá thời gian/) });
  });
});
