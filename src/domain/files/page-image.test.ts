import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { makeUnit } from '../../test/factories.ts';
import { signedInClient } from '../../test/http.ts';
import { makeTextPdf } from '../incoming/incoming.testing.ts';
import { makeIncomingFor } from '../records/records.testing.ts';
import { needTool } from '../../test/tools.ts';
import { draftOverHttp, makeAgencyWithOffice } from '../outgoing/outgoing.testing.ts';
import { attachFile, storeUpload } from './files.service.ts';
import { pageImage, PAGE_IMAGE, pageImageDir } from './page-image.ts';

const t = useTestApp({ demo: true });

/** A draft with the demo sample PDF; its drafter, and a GET of its main file's page-1 image as someone with `cookie`. */
let drafts = 0;
async function draftWithPdf() {
  const w = await makeAgencyWithOffice(t.app, t.db);
  // a subject of its own: each test's PDF is another content (the images are kept by content)
  const id = await draftOverHttp(w, { subject: `V/v xem trước trang 1 (${++drafts})` });
  expect((await w.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
  const files = ((await w.staff.client.get(`/api/outgoing/${id}`)).body.data as { files: { id: string; kind: string; sha256?: string }[] }).files;
  const fileId = files.find((f) => f.kind === 'main')?.id ?? '';
  const image = (cookie: string, headers: Record<string, string> = {}, file = fileId) =>
    t.app.request(`/api/outgoing/${id}/files/${file}?page-image=1`, { headers: { cookie, ...headers } });
  return { w, id, image };
}

/** Width and height of a JPEG, from its first SOFn segment. */
function jpegSize(bytes: Buffer): { width: number; height: number } {
  let at = 2;
  while (at < bytes.length) {
    const marker = bytes[at + 1] ?? 0;
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    at += 2 + length;
  }
  throw new Error('no SOF segment');
}

/**
 * A valid one-page PDF that takes poppler long to draw: `triangles` filled triangles across the page (each
 * covers a good part of it), 1000 take 1–4 s at 800 pixels on a busy 2-core machine, a typed page ~0.1 s.
 */
function slowToDrawPdf(triangles: number, seed: number): Buffer {
  const ops = Array.from({ length: triangles }, (_, i) => `${(i * 7 + seed) % 595} ${(i * 13) % 842} m ${(i * 11) % 595} ${(i * 17) % 842} l ${(i * 3) % 595} ${(i * 5) % 842} l f`).join('\n');
  const content = deflateSync(ops);
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n')];
  const offsets: number[] = [];
  const add = (object: string | Buffer) => {
    offsets.push(chunks.reduce((n, c) => n + c.length, 0));
    chunks.push(typeof object === 'string' ? Buffer.from(object) : object);
  };
  add('1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  add('2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n');
  add('3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n');
  add(Buffer.concat([Buffer.from(`4 0 obj\n<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, Buffer.from('\nendstream\nendobj\n')]));
  const xref = chunks.reduce((n, c) => n + c.length, 0);
  const rows = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  chunks.push(Buffer.from(`xref\n0 5\n0000000000 65535 f \n${rows}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
  return Buffer.concat(chunks);
}

const cachedImages = async () => readdir(pageImageDir(t.deps.config.dataDir)).catch(() => [] as string[]);

describe.skipIf(!needTool('pdftoppm'))('page 1 of a PDF as an image, for the viewer while pdf.js comes', () => {
  test('the drafter gets page 1 as an 800-pixel-wide JPEG of the A4 page\'s shape, tagged by the PDF\'s hash and kept by the browser', async () => {
    const { w, image } = await draftWithPdf();
    const res = await image(w.staff.client.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('private, max-age=604800');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{64}-p1-w800-q70"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const { width, height } = jpegSize(bytes);
    expect(width).toBe(PAGE_IMAGE.width);
    expect(height / width).toBeCloseTo(297 / 210, 1);
  });

  test('a colleague of another agency gets 404 and no image; the leader of the same agency, who may read the draft, gets it', async () => {
    const { w, image } = await draftWithPdf();
    const other = await makeAgencyWithOffice(t.app, t.db);
    const denied = await image(other.leader.client.cookie);
    expect(denied.status).toBe(404);
    expect(denied.headers.get('content-type')).toMatch(/json/);
    expect((await denied.json()).error.code).toBe('outgoing.not_found');
    expect((await image(w.leader.client.cookie)).status).toBe(200);
  });

  test('nobody signed in gets 401 and no image', async () => {
    const { image } = await draftWithPdf();
    const res = await image('');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });

  test('a file that is not a PDF has no page image: 415 files.preview_not_pdf', async () => {
    const { w, id, image } = await draftWithPdf();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4b00000000049454e44ae426082', 'hex');
    const upload = await storeUpload(t.deps, { source: png, fileName: 'anh.png' });
    const file = await attachFile(t.db, { agencyId: w.agency.id, ownerType: 'outgoing', ownerId: id, kind: 'appendix', upload, createdBy: w.staff.user.id });
    const res = await image(w.staff.client.cookie, {}, file.id);
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('files.preview_not_pdf');
  });

  test('rendered once per content: asked again, the kept image is sent (not rendered again), and with its tag the answer is 304 and no byte', async () => {
    const { w, image } = await draftWithPdf();
    const first = await image(w.staff.client.cookie);
    const etag = first.headers.get('etag') ?? '';
    await first.arrayBuffer();
    const sha256 = etag.slice(1, 65);
    const kept = (await cachedImages()).filter((name) => name.startsWith(sha256));
    expect(kept).toEqual([`${sha256}-p1-w800-q70.jpg`]);
    // the kept copy is what is sent: a second render would have written the page again
    await writeFile(path.join(pageImageDir(t.deps.config.dataDir), kept[0] ?? ''), 'kept');
    const again = await image(w.staff.client.cookie);
    expect(await again.text()).toBe('kept');
    const tagged = await image(w.staff.client.cookie, { 'if-none-match': etag });
    expect(tagged.status).toBe(304);
    expect((await tagged.arrayBuffer()).byteLength).toBe(0);
  });

  test('a PDF poppler cannot draw gives files.preview_failed, once rendered and then from its mark; the server goes on', async () => {
    const broken = await storeUpload(t.deps, { source: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'), fileName: 'hong.pdf' });
    for (let i = 0; i < 2; i++) {
      await expect(pageImage(t.deps, broken)).rejects.toMatchObject({ code: 'files.preview_failed', status: 422 });
    }
    expect(await cachedImages()).toContain(`${broken.sha256}-p1-w800-q70.failed`);
  });

  test('a render that outlasts its time limit is killed: files.preview_failed, no mark and no half-written image, so a later render with time enough draws the page', async () => {
    const slow = await storeUpload(t.deps, { source: slowToDrawPdf(1000, drafts++), fileName: 'nang.pdf' });
    const kept = async () => (await cachedImages()).filter((name) => name.startsWith(slow.sha256));
    const killedAfter = performance.now();
    await expect(pageImage(t.deps, slow, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'files.preview_failed', status: 422 });
    const killedIn = performance.now() - killedAfter;
    // neither the mark of a PDF poppler refused nor pdftoppm's partial output
    expect(await kept()).toEqual([]);

    const drawnAfter = performance.now();
    const { bytes } = await pageImage(t.deps, slow);
    const drawnIn = performance.now() - drawnAfter;
    expect(jpegSize(Buffer.from(bytes)).width).toBe(PAGE_IMAGE.width);
    expect(await kept()).toEqual([`${slow.sha256}-p1-w800-q70.jpg`]);
    // the first render was cut short, not refused after a full run
    expect(killedIn).toBeLessThan(drawnIn);
  });

  test('several people asking for the same page at once all get the one image', async () => {
    const { w, image } = await draftWithPdf();
    const answers = await Promise.all([image(w.staff.client.cookie), image(w.leader.client.cookie), image(w.staff.client.cookie)]);
    const bodies = await Promise.all(answers.map(async (r) => Buffer.from(await r.arrayBuffer())));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(bodies.every((b) => b.equals(bodies[0] ?? Buffer.alloc(0)))).toBe(true);
  });

  test('an incoming document\'s page 1: its handler gets the image, counted in its access history as a view (not a download); a colleague of another unit gets 404', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const docId = await makeIncomingFor(t.db, w.staff.actor);
    const upload = await storeUpload(t.deps, { source: await makeTextPdf(['CÔNG VĂN số 12/UBND-VP về việc xem trước trang 1']), fileName: 'cong-van.pdf' });
    const file = await attachFile(t.db, { agencyId: w.agency.id, ownerType: 'incoming', ownerId: docId, kind: 'main', upload, createdBy: w.staff.user.id });
    const image = (cookie: string) => t.app.request(`/api/incoming/${docId}/files/${file.id}?page-image=1`, { headers: { cookie } });
    const otherUnit = await signedInClient(t.app, t.db, { agencyId: w.agency.id, unitId: (await makeUnit(t.db, w.agency.id)).id, roles: ['staff'] });
    const denied = await image(otherUnit.client.cookie);
    expect(denied.status).toBe(404);
    expect(denied.headers.get('content-type')).toMatch(/json/);
    const res = await image(w.staff.client.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    await res.arrayBuffer();
    const rows = await t.db.selectFrom('accessLog').select(['action', 'userId', 'fileId']).where('entityId', '=', docId).execute();
    expect(rows).toEqual([{ action: 'view', userId: w.staff.user.id, fileId: file.id }]);
  });
});
