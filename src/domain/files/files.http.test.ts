import { expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { draftOverHttp, makeAgencyWithOffice } from '../outgoing/outgoing.testing.ts';

const t = useTestApp({ demo: true });

/** A draft with the demo sample PDF; the staff member who drafted it, the file's address and its bytes. */
async function draftWithFile() {
  const w = await makeAgencyWithOffice(t.app, t.db);
  const id = await draftOverHttp(w, { subject: 'V/v tải tệp từng phần' });
  expect((await w.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
  const files = ((await w.staff.client.get(`/api/outgoing/${id}`)).body.data as { files: { id: string; kind: string }[] }).files;
  const url = `/api/outgoing/${id}/files/${files.find((f) => f.kind === 'main')?.id}`;
  const get = (headers: Record<string, string> = {}) => t.app.request(url, { headers: { cookie: w.staff.client.cookie, ...headers } });
  const whole = Buffer.from(await (await get()).arrayBuffer());
  return { w, get, whole };
}

test('a document\'s file is sent in the part a range asks for (206), from a given byte, or its last bytes, and says it can be', async () => {
  const { get, whole } = await draftWithFile();
  expect(whole.length).toBeGreaterThan(1000);
  const head = await get({ range: 'bytes=0-99' });
  expect(head.status).toBe(206);
  expect(head.headers.get('content-range')).toBe(`bytes 0-99/${whole.length}`);
  expect(head.headers.get('content-length')).toBe('100');
  expect(Buffer.from(await head.arrayBuffer()).equals(whole.subarray(0, 100))).toBe(true);
  const rest = await get({ range: 'bytes=1000-' });
  expect(Buffer.from(await rest.arrayBuffer()).equals(whole.subarray(1000))).toBe(true);
  const tail = await get({ range: 'bytes=-256' });
  expect(tail.headers.get('content-range')).toBe(`bytes ${whole.length - 256}-${whole.length - 1}/${whole.length}`);
  expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(-256))).toBe(true);
  // past the end: clamped to it
  const over = await get({ range: `bytes=10-${whole.length + 500}` });
  expect(over.headers.get('content-range')).toBe(`bytes 10-${whole.length - 1}/${whole.length}`);
  await over.arrayBuffer();
  const full = await get();
  expect(full.status).toBe(200);
  expect(full.headers.get('accept-ranges')).toBe('bytes');
  await full.arrayBuffer();
});

test('a range starting past the end answers 416 with the file\'s size; several ranges or another unit get the whole file', async () => {
  const { get, whole } = await draftWithFile();
  const past = await get({ range: `bytes=${whole.length}-` });
  expect(past.status).toBe(416);
  expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
  for (const range of ['bytes=0-9,20-29', 'items=0-9', 'bytes=50-10']) {
    const res = await get({ range });
    expect(res.status, range).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).length).toBe(whole.length);
  }
});

test('a colleague of another agency asking for a part of the file gets 404 and no byte of it', async () => {
  const { get } = await draftWithFile();
  const other = await makeAgencyWithOffice(t.app, t.db);
  const res = await get({ range: 'bytes=0-99', cookie: other.staff.client.cookie });
  expect(res.status).toBe(404);
  expect((await res.json()).error.code).toBe('outgoing.not_found');
});

test('a file\'s tag is its content\'s hash: asked again with it, the answer is 304 and no byte; a range «if still this file» with another tag gets the whole file', async () => {
  const { get, whole } = await draftWithFile();
  const first = await get();
  const etag = first.headers.get('etag') ?? '';
  await first.arrayBuffer();
  expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
  const again = await get({ 'if-none-match': etag });
  expect(again.status).toBe(304);
  expect((await again.arrayBuffer()).byteLength).toBe(0);
  const part = await get({ range: 'bytes=0-9', 'if-range': etag });
  expect(part.status).toBe(206);
  await part.arrayBuffer();
  const changed = await get({ range: 'bytes=0-9', 'if-range': '"another"' });
  expect(changed.status).toBe(200);
  expect(Buffer.from(await changed.arrayBuffer()).length).toBe(whole.length);
});
